import { deadLetterHeaders, deadLetterMsgId } from './nats.dead-letter';
import { fromMsgHeaders, sanitizeHeaderValue, toMsgHeaders } from './nats.headers';

describe('dead letters', () => {
  it('keeps the original headers except JetStream control headers, and adds the failure facts', () => {
    const headers = deadLetterHeaders(
      { 'x-correlation-id': 'c-1', 'Nats-Msg-Id': 'e-1', 'nats-expected-stream': 'S' },
      {
        reason: 'max-attempts',
        error: 'boom\nat line 2',
        service: 'results-distribution',
        consumer: 'p_units',
        subject: 'oms.schedules.v1.unit.ATH.updated',
        stream: 'p_SCHEDULES',
        sequence: 42,
        deliveries: 5,
        time: new Date('2024-08-01T10:00:00Z'),
      },
    );
    expect(headers).toEqual({
      'x-correlation-id': 'c-1',
      'x-dlq-reason': 'max-attempts',
      'x-dlq-error': 'boom at line 2',
      'x-dlq-service': 'results-distribution',
      'x-dlq-consumer': 'p_units',
      'x-dlq-original-subject': 'oms.schedules.v1.unit.ATH.updated',
      'x-dlq-original-stream': 'p_SCHEDULES',
      'x-dlq-original-seq': '42',
      'x-dlq-deliveries': '5',
      'x-dlq-time': '2024-08-01T10:00:00.000Z',
    });
  });

  it('derives a stable dedupe id per stored message and consumer', () => {
    expect(deadLetterMsgId('S', 7, 'c')).toBe('dlq:S:7:c');
  });
});

describe('headers', () => {
  it('flattens and truncates header values', () => {
    expect(sanitizeHeaderValue('a\r\nb')).toBe('a b');
    expect(sanitizeHeaderValue('x'.repeat(20), 10)).toHaveLength(10);
  });

  it('round-trips a record, skipping empty values', () => {
    expect(fromMsgHeaders(toMsgHeaders({ a: '1', b: undefined, c: '' }))).toEqual({ a: '1' });
    expect(fromMsgHeaders(undefined)).toEqual({});
  });
});
