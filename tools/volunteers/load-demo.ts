/**
 * Loads the volunteers demo of OG2024 into a running volunteers service, through its API (never its database):
 *   1. the demo campaign (apps/volunteers/data/demo-campaign-og2024.json, the one the tests use), PUT as is;
 *   2. unless the edition already has applications (a second `npm start` changes nothing): --count applicants (3,000)
 *      through the bulk path, in requests of 1,000, generated from --seed by the load tool's generator
 *      (tools/bench/volunteers-load.ts), their choices kept to the demo campaign's options;
 *   3. along the pipeline as recruiters and applicants would move them: screened (bulk), interview slots created and
 *      booked, interviewed, trained, offered (bulk, per field of activity, answer within 14 days), then the applicants'
 *      answers through the portal with their status tokens (accept, decline, withdraw), and the accepted ones partly
 *      confirmed (each confirmation publishes the hand-over to accreditation); some rejected (bulk) at each early stage.
 *      A funnel: most applied or screened, fewer at each later stage.
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub demo-loader --roles oc-admin) \
 *     npx tsx tools/volunteers/load-demo.ts [--url http://127.0.0.1:3005] [--count 3000] [--seed 2024]
 *
 * The applicants' answers are the portal's form posts (POST /status/{token}/answer and /withdraw), which the portal
 * limits per client address: each applicant answers from an address of their own (X-Forwarded-For from a documentation
 * range, believed only from a trusted proxy such as loopback, the service's default TRUSTED_PROXIES).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateVolunteers, type VolunteerRow } from '../bench/volunteers-load';
import { apiClient, ok, pool, printProblem, type RequestBody, runMain } from '@podium/api-clients';
import { seededRandom } from '@podium/random';

const EDITION = 'OG2024';
const DAY = 86_400_000;
/** Rows per bulk request (the service's maximum). */
const BATCH = 1_000;
/** Requests in flight for the one-by-one moves. */
const CONCURRENCY = 6;

interface Campaign {
  options: Record<'fields' | 'skills' | 'languages', { code: string; names: { en: string } }[]>;
}
type Move = RequestBody<'volunteers', '/v1/editions/{edition}/applications/{id}/transitions', 'post'>;
type BulkMove = RequestBody<'volunteers', '/v1/editions/{edition}/applications/bulk-transitions', 'post'>;
/** A bulk move without its filter (each kind of move kept apart). */
type BulkAction = BulkMove extends infer M ? (M extends unknown ? Omit<M, 'filter'> : never) : never;
interface Applicant {
  id: string;
  token: string;
  field: string;
  goal: Goal;
}

/**
 * Where the demo leaves its applicants (per mille, decreasing along the main line), and how: `rejected-*` are
 * rejected after that stage, `withdrawn` withdraw themselves after being screened or booked.
 */
const FUNNEL = [
  ['applied', 300],
  ['screened', 235],
  ['interview-booked', 100],
  ['interviewed', 85],
  ['trained', 65],
  ['offered', 50],
  ['accepted', 33],
  ['confirmed', 27],
  ['declined', 13],
  ['rejected-applied', 40],
  ['rejected-screened', 24],
  ['rejected-interviewed', 18],
  ['withdrawn', 10],
] as const;
type Goal = (typeof FUNNEL)[number][0];
/** The main-line steps each goal goes through (after the bulk path's `applied`). */
const PATH: Record<Goal, readonly string[]> = {
  applied: [],
  screened: ['screened'],
  'interview-booked': ['screened', 'interview-booked'],
  interviewed: ['screened', 'interview-booked', 'interviewed'],
  trained: ['screened', 'interview-booked', 'interviewed', 'trained'],
  offered: ['screened', 'interview-booked', 'interviewed', 'trained', 'offered'],
  accepted: ['screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'accepted'],
  confirmed: ['screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'accepted', 'confirmed'],
  declined: ['screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'declined'],
  'rejected-applied': ['rejected'],
  'rejected-screened': ['screened', 'rejected'],
  'rejected-interviewed': ['screened', 'interview-booked', 'interviewed', 'rejected'],
  withdrawn: ['screened', 'withdrawn'],
};
/** The offer of each field of activity of the demo campaign: functional area and venue (the schedule's demo venues). */
const OFFERS: Record<string, { area: string; venue: string }> = {
  'spectator-services': { area: 'SPS', venue: 'STA' },
  sport: { area: 'SPO', venue: 'LDA' },
  medical: { area: 'MED', venue: 'BER' },
  press: { area: 'PRS', venue: 'CDM' },
  transport: { area: 'TRA', venue: 'STA' },
};
const LOCATIONS = ['Volunteer centre, Saint-Denis', 'Volunteer centre, Paris 13e', 'Stade de France, gate H', 'Bercy Arena, staff entrance'];

/** Keeps a generated row's choices to the campaign's options (the generator knows a larger call for volunteers). */
function fitToCampaign(row: VolunteerRow, campaign: Campaign, i: number): VolunteerRow {
  const has = (kind: keyof Campaign['options']) => new Set(campaign.options[kind].map((o) => o.code));
  const [fields, skills, languages] = [has('fields'), has('skills'), has('languages')];
  const firstField = campaign.options.fields[i % campaign.options.fields.length]?.code ?? 'sport';
  const kept = row.languages.filter((l) => languages.has(l.code));
  return {
    ...row,
    fields: row.fields.filter((f) => fields.has(f)).length > 0 ? row.fields.filter((f) => fields.has(f)) : [firstField],
    skills: row.skills.filter((s) => skills.has(s)),
    languages: kept.length > 0 ? kept : [{ code: languages.has('en') ? 'en' : ([...languages][0] ?? 'en'), level: 'B1' }],
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env['VOLUNTEERS_URL'] ?? 'http://127.0.0.1:3005' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      campaign: { type: 'string', default: resolve(__dirname, '../../apps/volunteers/data/demo-campaign-og2024.json') },
      count: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '2024' },
    },
  });
  const count = Number(values.count);
  if (!values.token || !Number.isInteger(count) || count < 1) {
    console.error('usage: PODIUM_TOKEN=<oc-admin token> load-demo.ts [--url URL] [--campaign FILE] [--count N] [--seed N]');
    console.error('       a local token: npm run -s token -- --sub demo-loader --roles oc-admin');
    return 2;
  }
  const base = values.url.replace(/\/+$/, '');
  const volunteers = apiClient('volunteers', { baseUrl: base, token: values.token });
  const edition = { edition: EDITION };
  try {
    // 1. The campaign.
    const campaign = JSON.parse(await readFile(values.campaign, 'utf8')) as Campaign;
    await ok(volunteers.PUT('/v1/editions/{edition}/campaign', { params: { path: edition }, body: campaign as RequestBody<'volunteers', '/v1/editions/{edition}/campaign', 'put'> }));
    const existing = await ok(volunteers.GET('/v1/editions/{edition}/applications', { params: { path: edition, query: { limit: 1 } } }));
    if (existing.items.length > 0) {
      console.log('campaign set; applications already loaded: nothing more to do');
      return 0;
    }

    // 2. The applicants, through the bulk path.
    const rows = generateVolunteers(count, Number(values.seed)).map((row, i) => fitToCampaign(row, campaign, i));
    const created: { id: string; token: string; field: string }[] = [];
    let refused = 0;
    for (let at = 0; at < rows.length; at += BATCH) {
      const batch = rows.slice(at, at + BATCH);
      const report = await ok(volunteers.POST('/v1/editions/{edition}/applications/bulk', { params: { path: edition }, body: { applications: batch } }));
      refused += report.refused;
      for (const row of report.rows) {
        if (row.id && row.token) created.push({ id: row.id, token: row.token, field: batch[row.index]?.fields[0] ?? 'sport' });
        else if (refused <= 3) console.log(`  row ${at + row.index} refused: ${row.reason} ${JSON.stringify(row.errors ?? [])}`);
      }
    }
    console.log(`campaign set; ${created.length} applicants through the bulk path${refused ? ` (${refused} refused)` : ''}`);

    // 3. Their goals: the funnel's shares over a seeded shuffle.
    const random = seededRandom(Number(values.seed));
    const order = created.map((c) => ({ c, k: random() })).sort((a, b) => a.k - b.k).map(({ c }) => c);
    const applicants: Applicant[] = [];
    let from = 0;
    FUNNEL.forEach(([goal, share], i) => {
      const to = i === FUNNEL.length - 1 ? order.length : Math.min(order.length, from + Math.round((share * order.length) / 1000));
      for (const c of order.slice(from, to)) applicants.push({ ...c, goal });
      from = to;
    });
    const taking = (stepName: string) => applicants.filter((a) => PATH[a.goal].includes(stepName));
    const move = async (a: Applicant, body: Move): Promise<void> => {
      await ok(volunteers.POST('/v1/editions/{edition}/applications/{id}/transitions', { params: { path: { ...edition, id: a.id } }, body }));
    };
    const bulk = async (ids: string[], body: BulkAction) => {
      for (let at = 0; at < ids.length; at += 5_000) {
        const moved: BulkMove = { ...body, filter: { ids: ids.slice(at, at + 5_000) } };
        const report = await ok(volunteers.POST('/v1/editions/{edition}/applications/bulk-transitions', { params: { path: edition }, body: moved }));
        const refusal = report.items.find((r) => r.status === 'refused');
        if (report.refused > 0) throw new Error(`bulk ${body.to}: ${report.refused} refused, e.g. ${refusal?.status === 'refused' ? refusal.detail : ''}`);
      }
    };

    // Rejected at once (duplicates of a kind, incomplete), screened in one action.
    await bulk(taking('rejected').filter((a) => a.goal === 'rejected-applied').map((a) => a.id), { to: 'rejected', reason: 'demo: not eligible' });
    await bulk(taking('screened').map((a) => a.id), { to: 'screened', reason: 'demo: screened' });
    await bulk(taking('rejected').filter((a) => a.goal === 'rejected-screened').map((a) => a.id), { to: 'rejected', reason: 'demo: profile not retained' });

    // Interview slots from tomorrow (10 places, every hour 9:00-17:00 UTC), then a place for each.
    const interviews = taking('interview-booked');
    const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
    const slots: string[] = [];
    for (let n = 0; slots.length * 10 < interviews.length; n++) {
      const startsAt = new Date(tomorrow + Math.floor(n / 9) * DAY + (9 + (n % 9)) * 3_600_000).toISOString();
      const location = LOCATIONS[n % LOCATIONS.length] ?? 'Volunteer centre';
      slots.push((await ok(volunteers.POST('/v1/editions/{edition}/interview-slots', { params: { path: edition }, body: { startsAt, location, capacity: 10 } }))).id);
    }
    await pool(interviews, CONCURRENCY, (a, i) => move(a, { to: 'interview-booked', slotId: slots[i % slots.length] ?? '', reason: 'demo' }));
    await pool(taking('interviewed'), CONCURRENCY, (a) => move(a, { to: 'interviewed' }));
    await bulk(taking('rejected').filter((a) => a.goal === 'rejected-interviewed').map((a) => a.id), { to: 'rejected', reason: 'demo: not retained after the interview' });
    await pool(taking('trained'), CONCURRENCY, (a) => move(a, { to: 'trained' }));

    // Offers, one bulk action per field of activity, to answer within 14 days.
    const deadline = new Date(Math.floor(Date.now() / DAY) * DAY + 14 * DAY).toISOString();
    const offered = taking('offered');
    for (const option of campaign.options.fields) {
      const ids = offered.filter((a) => a.field === option.code).map((a) => a.id);
      const offer = { role: option.names.en, ...(OFFERS[option.code] ?? { area: 'VOL', venue: 'STA' }), deadline };
      if (ids.length > 0) await bulk(ids, { to: 'offered', reason: 'demo: offer', offer });
    }

    // The applicants' answers, each with their status token through the portal, from an address of their own.
    const portal = async (a: Applicant, i: number, action: 'answer' | 'withdraw', form: string) => {
      const response = await fetch(`${base}/status/${a.token}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.18.${Math.floor(i / 250)}.${1 + (i % 250)}` },
        body: form,
        redirect: 'manual',
      });
      await response.arrayBuffer();
      if (response.status !== 303) throw new Error(`the portal answered ${response.status} to ${action} ${form} (expected 303)`);
    };
    const answering = applicants.filter((a) => ['accepted', 'declined', 'withdrawn'].some((s) => PATH[a.goal].includes(s)));
    await pool(answering, CONCURRENCY, (a, i) =>
      PATH[a.goal].includes('withdrawn')
        ? portal(a, i, 'withdraw', 'confirm=yes')
        : portal(a, i, 'answer', PATH[a.goal].includes('accepted') ? 'answer=accept' : 'answer=decline'),
    );
    await pool(taking('confirmed'), CONCURRENCY, (a) => move(a, { to: 'confirmed', reason: 'demo: training done' }));

    const funnel = await ok(volunteers.GET('/v1/editions/{edition}/funnel', { params: { path: edition } }));
    console.log(`${slots.length} interview slots; offers answerable until ${deadline.slice(0, 10)}; ${taking('confirmed').length} hand-overs published by confirmation`);
    console.log(`stages of ${funnel.total}: ${Object.entries(funnel.counts).filter(([, n]) => n > 0).map(([stage, n]) => `${stage} ${n}`).join(', ')}`);
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
