import * as testServers from './index';

describe('@podium/test-servers', () => {
  it('exports exactly its public API', () => {
    expect(Object.keys(testServers).sort()).toEqual([
      'DEBIAN_NATS_SERVER',
      'DEBIAN_POSTGRES_BIN',
      'DEFAULT_TEST_DATABASE_URL',
      'DEFAULT_TEST_NATS_URL',
      'TcpProxy',
      'createTestNats',
      'deleteJetStreamObjects',
      'dockerEndpoint',
      'freePort',
      'isDockerAvailable',
      'natsServer',
      'natsServerBinary',
      'postgresServer',
      'resolveNatsServer',
      'resolvePostgresServer',
      'startNatsCluster',
      'startNatsServer',
      'startPostgresCluster',
      'waitFor',
    ]);
  });
});
