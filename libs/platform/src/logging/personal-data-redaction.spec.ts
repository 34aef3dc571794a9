import { createLogger, PERSONAL_DATA_LOG_FIELDS } from './logger.options';

describe('personal data never reaches a log line', () => {
  const lines: string[] = [];
  const logger = createLogger({ service: 'redaction-test', level: 'info', destination: { write: (line: string) => void lines.push(line) } });

  beforeEach(() => {
    lines.length = 0;
  });

  it.each(PERSONAL_DATA_LOG_FIELDS)('redacts %s at the top level, nested up to three levels and in arrays', (field) => {
    logger.info(
      {
        [field]: 'SECRET-0',
        body: { [field]: 'SECRET-1' },
        application: { person: { [field]: 'SECRET-2' } },
        page: { items: [{ [field]: 'SECRET-3' }] },
        a: { b: { c: { [field]: 'SECRET-4' } } },
      },
      'an object with personal data',
    );
    expect(lines).toHaveLength(1);
    const text = lines[0] ?? '';
    expect(text).not.toMatch(/SECRET-\d/);
    const line = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(line[field]).toBe('[redacted]');
    expect(line['body']?.[field]).toBe('[redacted]');
    // Other fields are untouched.
    expect(line['msg']).toBe('an object with personal data');
  });
});
