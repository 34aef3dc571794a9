export { dockerEndpoint, isDockerAvailable } from './docker';
export { createTestNats, deleteJetStreamObjects, natsServer, DEFAULT_TEST_NATS_URL, type TestNats } from './nats';
export { natsServerBinary, startNatsServer, DEBIAN_NATS_SERVER, type StartedNatsServer, type StartNatsServerOptions } from './nats-server';
export {
  createTestDatabase,
  postgresServer,
  DEFAULT_TEST_DATABASE_URL,
  type CreateTestDatabaseOptions,
  type PostgresServer,
  type TestDatabase,
} from './postgres';
export { TcpProxy, type TcpProxyOptions } from './tcp-proxy';
export { waitFor, type WaitForOptions } from './wait-for';
export { workspaceRoot } from './workspace';
export { readStream, startTestService, type StreamMessage, type TestService, type TestServiceOptions, type TokenClaims } from './service-app';
export { publishEvent, type PublishedEvent } from './publish';
export { strictMock, UnexpectedCallError } from './strict-mock';
