/**
 * Loads the accreditation demo of OG2024 into a running accreditation service, through its API (never its database):
 *   1. the reference data (apps/accreditation/data/demo-og2024.json) with the edition's validity window moved to
 *      start yesterday and last 60 days, so that the demo's cards can be activated and checked at gates today (the
 *      pack's own window is the Games of 2024: every card of it is expired now);
 *   2. unless the edition already has applications (a second `npm start` changes nothing): the athletes of entries'
 *      demo (taken in from entries' events; entries must be loaded first) applied for by their NOC, never retyped,
 *      then a few hundred others (staff, volunteers, contractors, press, broadcasters, federations) through the bulk
 *      path, deterministic names from a seed;
 *   3. part of them through the workflow: vetting (cleared), approval, card, activation at pick-up; some left in each
 *      earlier state, one rejected, one card suspended.
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub demo-loader --roles oc-admin) \
 *     npx tsx tools/accreditation/load-demo.ts [--url http://127.0.0.1:3003] [--wait-seconds 60]
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apiClient, ok, pool, printProblem, runMain } from '@podium/api-clients';
import { seededRandom } from '@podium/random';

const EDITION = 'OG2024';
const DAY = 86_400_000;

interface Pack {
  edition: { code: string; validFrom: string; validTo: string };
  organisations: { code: string; kind: string; quotas: Record<string, number> }[];
}
/** An application the loader made, to take along the workflow. */
interface Application {
  id: string;
  organisation: string;
  category: string;
}

/** How many of each (organisation, category) the demo applies for through the bulk path. */
const OTHERS: readonly { organisation: string; category: string; count: number }[] = [
  { organisation: 'PARIS2024', category: 'OC', count: 60 },
  { organisation: 'PARIS2024', category: 'VOL', count: 120 },
  { organisation: 'PARIS2024', category: 'CON', count: 30 },
  { organisation: 'OBS', category: 'RT', count: 40 },
  { organisation: 'AFP', category: 'E', count: 15 },
  { organisation: 'AFP', category: 'EP', count: 10 },
  { organisation: 'WA', category: 'IF', count: 12 },
  { organisation: 'FRA', category: 'AO', count: 8 },
  { organisation: 'USA', category: 'AO', count: 8 },
];

const FAMILY = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Müller', 'Sato', 'Suzuki', 'Kamau', 'Otieno', 'Smith', 'Johnson', 'Nakamura', 'Rossi', 'Novak'];
const GIVEN = ['Léa', 'Hugo', 'Chloé', 'Louis', 'Emma', 'Jules', 'Inès', 'Lucas', 'Manon', 'Nathan', 'Yuki', 'Akira', 'Wanjiru', 'Kiprop', 'Olivia', 'Noah', 'Sofia', 'Marco', 'Anna', 'Éloïse'];


async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env['ACCREDITATION_URL'] ?? 'http://127.0.0.1:3003' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      pack: { type: 'string', default: resolve(__dirname, '../../apps/accreditation/data/demo-og2024.json') },
      'wait-seconds': { type: 'string', default: '60' },
      seed: { type: 'string', default: '2024' },
    },
  });
  if (!values.token) {
    console.error('usage: PODIUM_TOKEN=<oc-admin token> load-demo.ts [--url URL] [--pack FILE] [--wait-seconds N] [--seed N]');
    console.error('       a local token: npm run -s token -- --sub demo-loader --roles oc-admin');
    return 2;
  }
  const accreditation = apiClient('accreditation', { baseUrl: values.url, token: values.token });
  const edition = { edition: EDITION };
  try {
    // 1. The reference data, valid from yesterday for 60 days (whole days: the same pack all day, `unchanged` again).
    const pack = JSON.parse(await readFile(values.pack, 'utf8')) as Pack;
    const today = Math.floor(Date.now() / DAY) * DAY;
    pack.edition.validFrom = new Date(today - DAY).toISOString();
    pack.edition.validTo = new Date(today + 60 * DAY).toISOString();
    const imported = await ok(accreditation.POST('/v1/editions/{edition}/reference-data', { params: { path: edition }, body: pack }));
    console.log(`reference data ${imported.status} (cards valid ${pack.edition.validFrom.slice(0, 10)} to ${pack.edition.validTo.slice(0, 10)})`);

    const existing = await ok(accreditation.GET('/v1/editions/{edition}/applications', { params: { path: edition, query: { limit: 1 } } }));
    if (existing.items.length > 0) {
      console.log('applications already loaded: nothing more to do');
      return 0;
    }

    // 2a. The athletes of entries' demo, applied for by their NOC (names from entries' events, never retyped).
    const nocs = new Set(pack.organisations.filter((o) => o.kind === 'NOC').map((o) => o.code));
    const deadline = Date.now() + Number(values['wait-seconds']) * 1000;
    let athletes: { id: string; noc: string }[] = [];
    for (;;) {
      const page = await ok(accreditation.GET('/v1/editions/{edition}/athletes', { params: { path: edition, query: { limit: 500 } } }));
      athletes = page.items.filter((a) => nocs.has(a.noc));
      if (athletes.length > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (athletes.length === 0) console.log("no athlete from entries yet (load entries' demo first): athletes skipped");
    const applications: Application[] = [];
    await pool(athletes, 4, async (a) => {
      const application = await ok(
        accreditation.POST('/v1/editions/{edition}/athletes/{athleteId}/application', { params: { path: { ...edition, athleteId: a.id } }, body: { category: 'AA' } }),
      );
      applications.push(application);
    });
    console.log(`${applications.length} athletes applied for from entries' data`);

    // 2b. The others, through the bulk path (one request per organisation and category).
    const next = seededRandom(Number(values.seed));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    for (const group of OTHERS) {
      const rows = Array.from({ length: group.count }, () => ({
        organisation: group.organisation,
        category: group.category,
        familyName: pick(FAMILY),
        givenName: pick(GIVEN),
        dateOfBirth: new Date(Date.UTC(1960 + Math.floor(next() * 45), Math.floor(next() * 12), 1 + Math.floor(next() * 28))).toISOString().slice(0, 10),
        nationality: group.organisation.length === 3 ? group.organisation : pick(['FRA', 'FRA', 'FRA', 'BEL', 'GBR', 'USA', 'JPN', 'KEN']),
      }));
      const report = await ok(accreditation.POST('/v1/editions/{edition}/applications/bulk', { params: { path: edition }, body: { rows } }));
      const reasons = new Set(report.items.flatMap((i) => (i.status === 'refused' ? [i.reason] : [])));
      if (report.refused > 0) console.log(`  ${group.organisation} ${group.category}: ${report.refused} refused (${[...reasons].join(', ')})`);
      report.items.forEach((item) => {
        if (item.status === 'accepted') applications.push({ id: item.id, organisation: group.organisation, category: group.category });
      });
    }
    console.log(`${applications.length} applications in all`);

    // 3. Through the workflow: 3 in 4 to an active card; of the rest some in vetting, some approved, some submitted.
    const counts = { active: 0, approved: 0, vetting: 0, submitted: 0 };
    const cards: string[] = [];
    const leftSubmitted: string[] = [];
    await pool(
      applications.map((a, i) => ({ a, i })),
      3,
      async ({ a, i }) => {
        const goal = i % 8 === 7 ? 'submitted' : i % 8 === 6 ? 'vetting' : i % 16 === 5 ? 'approved' : 'active';
        const application = { params: { path: { ...edition, id: a.id } } };
        if (goal !== 'submitted') {
          await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...application, body: { to: 'vetting', reason: 'demo' } }));
          if (goal !== 'vetting') {
            await ok(accreditation.PUT('/v1/editions/{edition}/applications/{id}/vetting', { ...application, body: { result: 'cleared' } }));
            await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...application, body: { to: 'approved', reason: 'demo' } }));
            if (goal === 'active') {
              const card = await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/card', { ...application, body: { reason: 'demo' } }));
              await ok(accreditation.POST('/v1/cards/{cardNumber}/activate', { params: { path: { cardNumber: card.cardNumber } }, body: { reason: 'picked up (demo)' } }));
              cards.push(card.cardNumber);
            }
          }
        }
        if (goal === 'submitted') leftSubmitted.push(a.id);
        counts[goal]++;
      },
    );
    // One rejected, one card suspended: every state of the list is there to try.
    const rejected = leftSubmitted.sort()[0];
    if (rejected) {
      await ok(
        accreditation.POST('/v1/editions/{edition}/applications/{id}/transitions', {
          params: { path: { ...edition, id: rejected } },
          body: { to: 'rejected', reason: 'demo: duplicate person' },
        }),
      );
    }
    const suspended = cards.sort()[0];
    if (suspended) await ok(accreditation.POST('/v1/cards/{cardNumber}/suspend', { params: { path: { cardNumber: suspended } }, body: { reason: 'demo: card reported lost' } }));
    console.log(`workflow: ${counts.active} active cards (${suspended ?? 'none'} suspended), ${counts.approved} approved, ${counts.vetting} in vetting, ${counts.submitted} submitted (one rejected)`);
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
