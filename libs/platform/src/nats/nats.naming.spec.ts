import { NatsNaming, normalizePrefix } from './nats.naming';

describe('NatsNaming', () => {
  it('leaves subjects and names untouched without a prefix', () => {
    const naming = new NatsNaming('');
    expect(naming.subject('oms.schedules.v1.>')).toBe('oms.schedules.v1.>');
    expect(naming.name('SCHEDULES')).toBe('SCHEDULES');
    expect(naming.logicalSubject('oms.schedules.v1.unit.ath.updated')).toBe(
      'oms.schedules.v1.unit.ath.updated',
    );
  });

  it('prefixes subjects with the prefix and names with dots turned into underscores', () => {
    const naming = new NatsNaming('t1a2b.run.');
    expect(naming.subject('oms.schedules.v1.>')).toBe('t1a2b.run.oms.schedules.v1.>');
    expect(naming.name('SCHEDULES')).toBe('t1a2b_run_SCHEDULES');
    expect(naming.logicalSubject('t1a2b.run.oms.x')).toBe('oms.x');
    expect(naming.logicalSubject('other.oms.x')).toBe('other.oms.x');
  });

  it('builds dead-letter subjects from the service and the logical subject', () => {
    const naming = new NatsNaming('t9.');
    expect(
      naming.subject(naming.deadLetterSubject('results-distribution', 'oms.schedules.v1.unit.ath.updated')),
    ).toBe('t9.dlq.results-distribution.oms.schedules.v1.unit.ath.updated');
  });
});

describe('normalizePrefix', () => {
  it('adds the trailing dot and accepts the empty prefix', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('  ')).toBe('');
    expect(normalizePrefix('t1a2b')).toBe('t1a2b.');
    expect(normalizePrefix('t1a2b.')).toBe('t1a2b.');
    expect(normalizePrefix('a-b_c.d')).toBe('a-b_c.d.');
  });

  it.each(['a..', '*.', 'a.>', 'a b', '.'])('rejects %p', (prefix) => {
    expect(() => normalizePrefix(prefix)).toThrow(/Invalid NATS prefix/);
  });
});
