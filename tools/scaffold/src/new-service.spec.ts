import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../new-service';

/** A workspace holding only the service list and an apps/ folder: refusals must happen before anything is written. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'podium-new-service-'));
  mkdirSync(join(root, 'libs', 'contracts', 'src'), { recursive: true });
  mkdirSync(join(root, 'apps', 'entries'), { recursive: true });
  writeFileSync(
    join(root, 'libs', 'contracts', 'src', 'services.json'),
    JSON.stringify({
      $comment: 'x',
      services: [
        { name: 'entries', port: 3002, family: 'OMS', purpose: 'entries' },
        { name: 'accreditation', port: 3003, family: 'OMS', purpose: 'cards' },
      ],
    }),
  );
  return root;
}

describe('npm run new:service refuses, writing nothing', () => {
  let root: string;
  beforeEach(() => {
    root = workspace();
  });
  afterEach(() => {
    try {
      // Nothing was written: the workspace is as it was made.
      expect(readdirSync(join(root, 'apps'))).toEqual(['entries']);
      expect(readdirSync(join(root, 'libs', 'contracts', 'src'))).toEqual(['services.json']);
      expect(JSON.parse(readFileSync(join(root, 'libs', 'contracts', 'src', 'services.json'), 'utf8')).services).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a service whose folder exists', () => {
    expect(() => main(['entries', '--root', root])).toThrow('apps/entries exists already');
  });

  it('a name outside the list without its port, family and purpose, saying which are missing', () => {
    expect(() => main(['ticketing', '--root', root])).toThrow(/ticketing is not in libs\/contracts\/src\/services\.json: give --port/);
    expect(() => main(['ticketing', '--root', root, '--port', '3002', '--family', 'OMS', '--purpose', 'x'])).toThrow(/port 3002 is entries'/);
  });

  it('a bad name, and --port for a service the list already has', () => {
    expect(() => main(['Ticketing', '--root', root])).toThrow(/kebab-case/);
    expect(() => main(['accreditation', '--root', root, '--port', '3010'])).toThrow(/accreditation is in libs\/contracts\/src\/services\.json already/);
  });
});
