import { listStatement } from './list-statement';

describe('listStatement', () => {
  const list = (event?: string, noc?: string, page?: { offset: number; limit: number }) =>
    listStatement({
      name: 'entries-list',
      select: 'SELECT id FROM entry e',
      where: [
        ['e.edition', 'OG2024'],
        ['e.event', event],
        ['e.noc', noc],
      ],
      orderBy: 'e.event ASC',
      page,
    });

  it('has one condition per filter given, numbered in order, and a name saying which', () => {
    expect(list()).toEqual({
      name: 'entries-list:100',
      text: 'SELECT id FROM entry e WHERE e.edition = $1 ORDER BY e.event ASC',
      values: ['OG2024'],
    });
    expect(list(undefined, 'JPN')).toEqual({
      name: 'entries-list:101',
      text: 'SELECT id FROM entry e WHERE e.edition = $1 AND e.noc = $2 ORDER BY e.event ASC',
      values: ['OG2024', 'JPN'],
    });
    expect(list('ATHM100M', 'JPN', { offset: 10, limit: 5 })).toEqual({
      name: 'entries-list:111:p',
      text: 'SELECT id FROM entry e WHERE e.edition = $1 AND e.event = $2 AND e.noc = $3 ORDER BY e.event ASC OFFSET $4 LIMIT $5',
      values: ['OG2024', 'ATHM100M', 'JPN', 10, 5],
    });
  });

  it('gives one statement text per name (a prepared statement is reused by name)', () => {
    const texts = new Map<string, string>();
    for (const event of [undefined, 'ATHM100M', 'ATHW100M'])
      for (const noc of [undefined, 'JPN', 'USA'])
        for (const page of [undefined, { offset: 0, limit: 1 }, { offset: 3, limit: 9 }]) {
          const { name, text } = list(event, noc, page);
          expect(texts.get(String(name)) ?? text).toBe(text);
          texts.set(String(name), text);
        }
    expect(texts.size).toBe(8);
  });
});
