// The public API of @podium/test-servers: how every integration test finds PostgreSQL and NATS (Testcontainers when a
// Docker engine answers, else the local services), with no dependency on the platform, so that the platform's own
// tests use it too. @podium/testing re-exports it; tests of services import @podium/testing.
export { dockerEndpoint, isDockerAvailable } from './docker';
export { freePort } from './free-port';
export { createTestNats, deleteJetStreamObjects, natsServer, resolveNatsServer, DEFAULT_TEST_NATS_URL, type TestNats } from './nats';
export { startNatsCluster, type NatsCluster, type NatsClusterNode, type StartNatsClusterOptions } from './nats-cluster';
export { natsServerBinary, startNatsServer, DEBIAN_NATS_SERVER, type StartedNatsServer, type StartNatsServerOptions } from './nats-server';
export { startPostgresCluster, DEBIAN_POSTGRES_BIN, type PostgresCluster, type PostgresShutdownMode, type StartPostgresClusterOptions } from './postgres-cluster';
export { postgresServer, resolvePostgresServer, DEFAULT_TEST_DATABASE_URL, type PostgresServer } from './postgres';
export { TcpProxy, type TcpProxyOptions } from './tcp-proxy';
export { waitFor, type WaitForOptions } from './wait-for';
