import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsServerBinary, startNatsServer } from './nats-server';

describe('natsServerBinary', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podium-nats-bin-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the nats-server on PATH first, then the fallbacks (Debian puts it in /usr/sbin)', () => {
    const onPath = join(dir, 'nats-server');
    writeFileSync(onPath, '#!/bin/sh\n');
    chmodSync(onPath, 0o755);
    expect(natsServerBinary({ PATH: `/nonexistent:${dir}` }, ['/nonexistent/nats-server'])).toBe(onPath);
    const fallback = join(dir, 'fallback-nats-server');
    writeFileSync(fallback, '#!/bin/sh\n');
    chmodSync(fallback, 0o755);
    expect(natsServerBinary({ PATH: '/nonexistent' }, [fallback])).toBe(fallback);
  });

  it('ignores a file that is not executable', () => {
    const file = join(dir, 'nats-server');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    expect(() => natsServerBinary({ PATH: dir }, [])).toThrow(/there is none/);
  });

  it('fails loudly, with how to install one, when there is none', () => {
    const error = (() => {
      try {
        natsServerBinary({ PATH: dir }, ['/nonexistent/nats-server']);
      } catch (e) {
        return e as Error;
      }
      throw new Error('natsServerBinary did not throw');
    })();
    expect(error.message).toMatch(/^This test starts a nats-server of its own, and there is none: no Docker engine answers/);
    expect(error.message).toContain('/nonexistent/nats-server');
    expect(error.message).toContain('sudo apt-get install nats-server');
    expect(error.message).toContain('tools/dev/services.sh');
  });
});

describe('startNatsServer', () => {
  it('refuses files outside the configuration directory', async () => {
    const env = { PODIUM_TESTCONTAINERS: 'off' };
    await expect(startNatsServer({ config: '', configPath: '../nats.conf' }, env)).rejects.toThrow(/inside the configuration directory/);
    await expect(startNatsServer({ config: '', files: { '/etc/auth.conf': '' } }, env)).rejects.toThrow(/inside the configuration directory/);
  });
});
