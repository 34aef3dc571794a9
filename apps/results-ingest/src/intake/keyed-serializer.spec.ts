import { KeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedSerializer', () => {
  it('runs tasks of one key in arrival order, one at a time, and other keys concurrently', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, delay: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, delay));
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      serializer.run('a', task('a1', 20)),
      serializer.run('a', task('a2', 1)),
      serializer.run('b', task('b1', 1)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    await tick();
    expect(serializer.size).toBe(0);
  });

  it('keeps going after a failed task', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('a', () => Promise.reject(new Error('boom')));
    const next = serializer.run('a', () => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
