import { consumerSettings, CONSUMER_DEFAULTS, redactServer, resolveNatsOptions } from './nats.options';

describe('resolveNatsOptions', () => {
  it('applies defaults and splits a comma-separated server list', () => {
    const options = resolveNatsOptions({ servers: 'nats://a:4222, nats://b:4222', name: 'schedules' });
    expect(options).toMatchObject({
      servers: ['nats://a:4222', 'nats://b:4222'],
      name: 'schedules',
      prefix: '',
      streams: [],
      consumers: [],
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 5_000,
    });
  });

  it('keeps the service user and password, and rejects an empty user', () => {
    const resolved = resolveNatsOptions({ servers: 'nats://n:4222', name: 'schedules', user: 'schedules', pass: 'p0123' });
    expect(resolved).toMatchObject({ user: 'schedules', pass: 'p0123' });
    expect(resolveNatsOptions({ servers: 'nats://n:4222', name: 'schedules' }).user).toBeUndefined();
    expect(() => resolveNatsOptions({ servers: 'nats://n:4222', name: 'schedules', user: '' })).toThrow(/user/);
  });

  it('names the wrong field', () => {
    expect(() => resolveNatsOptions({ servers: [], name: 'Schedules Service' })).toThrow(
      /servers.*name|name.*servers/s,
    );
    expect(() =>
      resolveNatsOptions({
        servers: 'nats://a',
        name: 's',
        consumers: [{ key: 'oms.schedules.v1.unit.{discipline}.updated', durable: 'has.dot' }],
      }),
    ).toThrow(/consumers\.0\.durable/);
  });

  it('fills consumer defaults', () => {
    expect(
      consumerSettings({ key: 'oms.schedules.v1.unit.{discipline}.updated', durable: 'd', maxAttempts: 2 }),
    ).toEqual({
      ...CONSUMER_DEFAULTS,
      maxAttempts: 2,
    });
  });

  it('redacts credentials in server URLs', () => {
    expect(redactServer('nats://user:pw@host:4222')).toBe('nats://***@host:4222');
    expect(redactServer('nats://host:4222')).toBe('nats://host:4222');
  });
});
