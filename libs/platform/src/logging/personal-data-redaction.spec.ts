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

  it('covers the personal fields of accreditation, volunteers and workforce (names kept in clear included)', () => {
    expect([...PERSONAL_DATA_LOG_FIELDS].sort()).toEqual(
      ['dateOfBirth', 'email', 'familyName', 'givenName', 'nationality', 'passportNumber', 'photoReference', 'phone'].sort(),
    );
  });

  it("redacts a volunteer's hand-over logged as a message envelope, keeping its ids", () => {
    const handover = { id: 'v-1', edition: 'OG2024', familyName: 'MARTIN', givenName: 'Léa', dateOfBirth: '1996-05-14', nationality: 'FRA', role: 'Spectator services' };
    const personal = { email: 'lea@example.org', phone: '+33 6 12 34 56 78' };
    logger.info({ envelope: { id: 'e-1', data: handover }, application: { personal } }, 'received');
    const text = lines[0] ?? '';
    for (const value of ['MARTIN', 'Léa', '1996-05-14', 'FRA', 'lea@example.org', '+33 6 12 34 56 78']) expect(text).not.toContain(value);
    const line = JSON.parse(text) as { envelope: { id: string; data: Record<string, string> } };
    expect(line.envelope.id).toBe('e-1');
    expect(line.envelope.data).toMatchObject({ id: 'v-1', edition: 'OG2024', role: 'Spectator services', familyName: '[redacted]', nationality: '[redacted]' });
  });
});
