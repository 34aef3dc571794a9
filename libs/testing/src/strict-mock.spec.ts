import { strictMock, UnexpectedCallError } from './strict-mock';

interface Pool {
  query(text: string): Promise<number>;
}

interface Repository {
  pool: Pool;
  limit: number;
  find(id: string): string;
  save(id: string): void;
}

describe('strictMock', () => {
  it('answers with the configured members', () => {
    const find = jest.fn((id: string) => `found ${id}`);
    const repository = strictMock<Repository>('repository', { find, limit: 3 });
    expect(repository.find('a')).toBe('found a');
    expect(repository.limit).toBe(3);
    expect(find).toHaveBeenCalledWith('a');
  });

  it('throws "unexpected call to" on a member the test did not configure', () => {
    const repository = strictMock<Repository>('repository', { find: () => 'x' });
    expect(() => repository.save('a')).toThrow('unexpected call to repository.save');
    expect(() => repository.save('a')).toThrow(UnexpectedCallError);
  });

  it('names the whole path of a nested member, and fails when a stub is used as a value', async () => {
    const repository = strictMock<Repository>('repository');
    expect(() => repository.pool.query('SELECT 1')).toThrow('unexpected call to repository.pool.query');
    expect(() => repository.limit + 1).toThrow('unexpected use of repository.limit');
    expect(() => `${repository.limit}`).toThrow('unexpected use of repository.limit');
  });

  it('can be awaited, printed and compared without tripping over probes', async () => {
    const repository = strictMock<Repository>('repository', { limit: 1 });
    await expect(Promise.resolve(repository)).resolves.toBe(repository);
    expect(repository).toEqual({ limit: 1 });
    expect('save' in repository).toBe(false);
    expect(JSON.stringify(repository)).toBe('{"limit":1}');
  });
});
