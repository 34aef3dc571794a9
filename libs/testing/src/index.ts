export {
  createTestNats,
  deleteJetStreamObjects,
  dockerEndpoint,
  isDockerAvailable,
  natsServer,
  natsServerBinary,
  postgresServer,
  startNatsCluster,
  startNatsServer,
  startPostgresCluster,
  waitFor,
  DEBIAN_NATS_SERVER,
  DEFAULT_TEST_DATABASE_URL,
  DEFAULT_TEST_NATS_URL,
  TcpProxy,
  type NatsCluster,
  type NatsClusterNode,
  type PostgresCluster,
  type PostgresServer,
  type PostgresShutdownMode,
  type StartedNatsServer,
  type StartNatsClusterOptions,
  type StartNatsServerOptions,
  type TcpProxyOptions,
  type TestNats,
  type WaitForOptions,
} from '@podium/test-servers';
export { createTestDatabase, type CreateTestDatabaseOptions, type TestDatabase } from './postgres';
export { workspaceRoot } from './workspace';
export { readStream, startTestService, type StreamMessage, type TestService, type TestServiceOptions, type TokenClaims } from './service-app';
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './service-process';
export { publishEvent, type PublishedEvent } from './publish';
export { strictMock, UnexpectedCallError } from './strict-mock';
export { startFakeJsonApi, type FakeJsonApi } from './fake-http';
export { axeSource, axeViolations, describeViolations, launchChromium, CHROMIUM, WCAG_21_AA, type AxeViolation, type Browser, type BrowserContext, type BrowserPage } from './browser';
