/**
 * Loads the workforce demo of OG2024 into a running workforce service, through its API (never its database), and takes
 * the members' accreditation applications to active cards through accreditation's API, as an accreditation officer
 * would (docs/workforce-on-the-day.md#demo):
 *   1. the demo schedule's venues (apps/schedules/data/demo-og2024.json) with their time zones, PUT as is;
 *   2. unless the edition already has staff members (a second `npm start` loads nothing more): --count staff and
 *      contractors (300) through the members bulk path, names from the volunteers' seeded generator
 *      (tools/bench/volunteers-load.ts), functional areas, skills and home venues spread over the venues;
 *   3. their cards: accreditation makes an application for each staff member and contractor from member.changed (and
 *      for each confirmed volunteer from volunteers' hand-over); accreditation's own demo ran before and left those
 *      applications submitted, so this loader takes every handed-over application still submitted through vetting,
 *      approval, card and activation; the cards reach workforce by accreditation's card events;
 *   4. shifts for the next 3 local days at each venue (several functional areas, realistic headcounts, given in the
 *      venue's local time), unless the venue already has shifts that day;
 *   5. an auto-roster plan per day (POST /roster/plans), published;
 *   6. check-ins (and check-outs) by card number for today's shifts already started: most on time, some late, a few
 *      never (the no-show sweep writes them down).
 *
 *   PODIUM_TOKEN=$(npm run -s token -- --sub demo-loader --roles oc-admin) \
 *     npx tsx tools/workforce/load-demo.ts [--url http://127.0.0.1:3004] [--accreditation-url http://127.0.0.1:3003]
 *       [--count 300] [--seed 2024] [--wait-seconds 60]
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateVolunteers } from '../bench/volunteers-load';
import { memberOfPerson } from '../bench/workforce-load';
import { ApiError, apiClient, ok, pool, printProblem, runMain } from '@podium/api-clients';
import { seededRandom } from '@podium/random';

const EDITION = 'OG2024';
const MIN = 60_000;
const DAY = 86_400_000;
/** Requests in flight for the one-by-one calls. */
const CONCURRENCY = 4;
/** Days of shifts from today (local). */
const DAYS = 3;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ScheduleVenue {
  code: string;
  name: string;
  timeZone: string;
}

/**
 * The shifts of one day at a venue: functional area, role, local start and end (hours; 24+ is past midnight), headcount,
 * and what it requires. A venue's team: venue management, spectator services, medical, security (contractors),
 * technology, catering (contractors) and cleaning (contractors), in an early and a late shift where the venue is open
 * all day. Teahupo'o (surfing, a reef off Tahiti) runs a smaller team.
 */
const DAY_PLAN: readonly { area: string; role: string; from: number; to: number; headcount: number; skills?: string[]; languages?: string[] }[] = [
  { area: 'VEN', role: 'Venue manager', from: 6, to: 14, headcount: 2 },
  { area: 'VEN', role: 'Venue manager', from: 14, to: 22, headcount: 2 },
  { area: 'SPS', role: 'Spectator services lead', from: 7, to: 15, headcount: 5 },
  { area: 'SPS', role: 'Spectator services lead', from: 15, to: 23, headcount: 5 },
  { area: 'MED', role: 'First aider', from: 8, to: 16, headcount: 2, skills: ['first-aid'] },
  { area: 'MED', role: 'First aider', from: 16, to: 23, headcount: 2, skills: ['first-aid'] },
  { area: 'SEC', role: 'Security steward', from: 6, to: 14, headcount: 4, skills: ['security'] },
  { area: 'SEC', role: 'Security steward', from: 14, to: 22, headcount: 4, skills: ['security'] },
  { area: 'TEC', role: 'Results technician', from: 9, to: 17, headcount: 2, skills: ['it-support'], languages: ['en'] },
  { area: 'CAT', role: 'Catering crew', from: 10, to: 18, headcount: 3 },
  { area: 'CLN', role: 'Cleaning crew', from: 5, to: 11, headcount: 2 },
];
const SMALL_VENUES = new Set(['TEA']);

/** Staff (OC) and contractors (their companies), by functional area and share of --count. */
const WORKFORCE: readonly { type: 'staff' | 'contractor'; organisation: string; area: string; role: string; share: number; skills?: string[] }[] = [
  { type: 'staff', organisation: 'PARIS2024', area: 'VEN', role: 'Venue manager', share: 0.1 },
  { type: 'staff', organisation: 'PARIS2024', area: 'SPS', role: 'Spectator services lead', share: 0.27 },
  { type: 'staff', organisation: 'PARIS2024', area: 'MED', role: 'First aider', share: 0.1, skills: ['first-aid'] },
  { type: 'staff', organisation: 'PARIS2024', area: 'TEC', role: 'Results technician', share: 0.08, skills: ['it-support'] },
  { type: 'contractor', organisation: 'SECURIPRO', area: 'SEC', role: 'Security steward', share: 0.24, skills: ['security'] },
  { type: 'contractor', organisation: 'GOURMETS', area: 'CAT', role: 'Catering crew', share: 0.13 },
  { type: 'contractor', organisation: 'PROPRETE', area: 'CLN', role: 'Cleaning crew', share: 0.08 },
];

/** The local date (YYYY-MM-DD) and wall time of `instant` in `zone`. */
function localDate(instant: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
/** `date` plus `days` (calendar dates, no time zone involved). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
/** The local date-time "YYYY-MM-DDTHH:00" of hour `h` (24+ is the next day) of `date`. */
const localAt = (date: string, h: number) => `${h >= 24 ? addDays(date, 1) : date}T${String(h % 24).padStart(2, '0')}:00`;

/** Every item of a paginated list: `page(cursor)` fetches one page (limit 500) after `cursor`. */
async function all<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let cursor: string | undefined; ; ) {
    const p = await page(cursor);
    items.push(...p.items);
    if (!p.nextCursor) return items;
    cursor = p.nextCursor;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env['WORKFORCE_URL'] ?? 'http://127.0.0.1:3004' },
      'accreditation-url': { type: 'string', default: process.env['ACCREDITATION_URL'] ?? 'http://127.0.0.1:3003' },
      token: { type: 'string', default: process.env['PODIUM_TOKEN'] },
      schedule: { type: 'string', default: resolve(__dirname, '../../apps/schedules/data/demo-og2024.json') },
      count: { type: 'string', default: '300' },
      seed: { type: 'string', default: '2024' },
      'wait-seconds': { type: 'string', default: '60' },
    },
  });
  const count = Number(values.count);
  if (!values.token || !Number.isInteger(count) || count < 1 || count > 1000) {
    console.error('usage: PODIUM_TOKEN=<oc-admin token> load-demo.ts [--url URL] [--accreditation-url URL] [--count 1..1000] [--seed N] [--wait-seconds N]');
    console.error('       a local token: npm run -s token -- --sub demo-loader --roles oc-admin');
    return 2;
  }
  const workforce = apiClient('workforce', { baseUrl: values.url, token: values.token });
  const accreditation = apiClient('accreditation', { baseUrl: values['accreditation-url'], token: values.token });
  const edition = { edition: EDITION };
  const waitUntil = Date.now() + Number(values['wait-seconds']) * 1000;
  const random = seededRandom(Number(values.seed));
  try {
    // 1. The venues of the demo schedule, with their time zones.
    const schedule = JSON.parse(await readFile(values.schedule, 'utf8')) as { venues: ScheduleVenue[] };
    const venues = schedule.venues.map((v) => ({ code: v.code, name: v.name, timeZone: v.timeZone }));
    for (const v of venues) {
      await ok(workforce.PUT('/v1/editions/{edition}/venues/{code}', { params: { path: { ...edition, code: v.code } }, body: { name: v.name, timeZone: v.timeZone } }));
    }
    console.log(`${venues.length} venues: ${venues.map((v) => `${v.code} (${v.timeZone})`).join(', ')}`);

    // 2. Staff and contractors through the bulk path, unless loaded before.
    const existing = await ok(workforce.GET('/v1/editions/{edition}/members', { params: { path: edition, query: { type: 'staff', limit: 1 } } }));
    if (existing.items.length > 0) {
      console.log('staff members already loaded: nothing more to do');
      return 0;
    }
    const people = generateVolunteers(count, Number(values.seed));
    const homeVenues = venues.flatMap((v) => (SMALL_VENUES.has(v.code) ? [v.code] : [v.code, v.code, v.code, v.code]));
    let at = 0;
    const rows = WORKFORCE.flatMap((group, g) => {
      const n = g === WORKFORCE.length - 1 ? count - at : Math.round(group.share * count);
      const slice = people.slice(at, at + n);
      at += slice.length;
      return slice.map((p, i) => ({
        type: group.type,
        ...memberOfPerson(p, group, { homeVenue: homeVenues[(i * 7 + g) % homeVenues.length] ?? 'STA', skills: group.skills ?? [], maxSkills: 5, mayAddEnglish: true }, random),
      }));
    });
    const report = await ok(workforce.POST('/v1/editions/{edition}/members/bulk', { params: { path: edition }, body: { members: rows } }));
    console.log(`${report.created} staff and contractors through the bulk path${report.refused ? ` (${report.refused} refused, e.g. ${JSON.stringify(report.rows.find((r) => r.status !== 'created'))})` : ''}`);

    // 3. Their cards: the applications accreditation made from member.changed (and volunteers' hand-overs), taken to
    //    active cards as an accreditation officer would.
    const members = await all((cursor) => ok(workforce.GET('/v1/editions/{edition}/members', { params: { path: edition, query: { limit: 500, cursor } } })));
    const byHandover = new Map<string, string>(); // hand-over id (member id, or volunteer id) -> member id
    for (const m of members) byHandover.set(m.type === 'volunteer' && m.volunteerId ? m.volunteerId : m.id, m.id);
    const handoverPage = (cursor: string | undefined) =>
      ok(accreditation.GET('/v1/editions/{edition}/handovers', { params: { path: edition, query: { limit: 500, cursor } } }));
    let handovers: Awaited<ReturnType<typeof handoverPage>>['items'] = [];
    for (;;) {
      handovers = (await all(handoverPage)).filter((h) => byHandover.has(h.id));
      const staffApplied = handovers.filter((h) => h.source === 'workforce' && h.status === 'applied').length;
      if (staffApplied >= report.created || Date.now() > waitUntil) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const cardOf = new Map<string, string>(); // member id -> card number
    const counts = { activated: 0, before: 0, skipped: 0 };
    await pool(
      handovers.flatMap((h) => (h.status === 'applied' && h.applicationId ? [{ ...h, applicationId: h.applicationId }] : [])),
      CONCURRENCY,
      async (h) => {
        const path = { params: { path: { ...edition, id: h.applicationId } } };
        const application = await ok(accreditation.GET('/v1/editions/{edition}/applications/{id}', path));
        if (application.state === 'submitted') {
          await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...path, body: { to: 'vetting', reason: 'workforce demo' } }));
        }
        if (['submitted', 'vetting'].includes(application.state)) {
          await ok(accreditation.PUT('/v1/editions/{edition}/applications/{id}/vetting', { ...path, body: { result: 'cleared' } }));
          await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...path, body: { to: 'approved', reason: 'workforce demo' } }));
        }
        if (['submitted', 'vetting', 'approved'].includes(application.state)) {
          const card = await ok(accreditation.POST('/v1/editions/{edition}/applications/{id}/card', { ...path, body: { reason: 'workforce demo' } }));
          await ok(accreditation.POST('/v1/cards/{cardNumber}/activate', { params: { path: { cardNumber: card.cardNumber } }, body: { reason: 'picked up (workforce demo)' } }));
          cardOf.set(byHandover.get(h.id) ?? '', card.cardNumber);
          counts.activated++;
        } else if (['activated', 'card-issued'].includes(application.state)) counts.before++;
        else counts.skipped++;
      },
    );
    console.log(
      `accreditation: ${handovers.length} hand-overs of members; ${counts.activated} cards activated now, ${counts.before} before, ${counts.skipped} in another state` +
        (handovers.filter((h) => h.source === 'workforce').length < report.created ? ' (not every hand-over arrived in time: those members get no card in the demo)' : ''),
    );

    // 4. Shifts: the next 3 local days at each venue.
    const days = new Map<string, string[]>(); // local date -> venues
    let created = 0;
    for (const v of venues) {
      const today = localDate(Date.now(), v.timeZone);
      for (let d = 0; d < DAYS; d++) {
        const date = addDays(today, d);
        days.set(date, [...(days.get(date) ?? []), v.code]);
        const has = await ok(workforce.GET('/v1/editions/{edition}/shifts', { params: { path: edition, query: { localDate: date, venue: v.code, limit: 1 } } }));
        if (has.items.length > 0) continue;
        const shifts = DAY_PLAN.map((s) => ({
          venue: v.code,
          functionalArea: s.area,
          role: s.role,
          start: localAt(date, s.from),
          end: localAt(date, s.to),
          headcount: SMALL_VENUES.has(v.code) ? Math.max(1, Math.ceil(s.headcount / 2)) : s.headcount,
          requiredSkills: s.skills ?? [],
          requiredLanguages: s.languages ?? [],
        }));
        const made = await ok(workforce.POST('/v1/editions/{edition}/shifts/bulk', { params: { path: edition }, body: { shifts } }));
        if (made.refused > 0) console.log(`  ${v.code} ${date}: ${made.refused} shifts refused (${JSON.stringify(made.rows.find((r) => r.status !== 'created'))})`);
        created += made.created;
      }
    }
    console.log(`${created} shifts over ${DAYS} days at ${venues.length} venues`);

    // 5. The auto-roster, one plan per local date, published (then the day's shifts published). The cards activated in
    //    step 3 reach workforce by events: while the plan's unfilled places name members held back by the accreditation
    //    rule and that number still falls, the day is planned again (a re-plan replaces an unpublished plan).
    for (const date of [...days.keys()].sort()) {
      const planDay = () => ok(workforce.POST('/v1/editions/{edition}/roster/plans', { params: { path: edition }, body: { localDate: date } }));
      let plan: Awaited<ReturnType<typeof planDay>>;
      let heldBack = Number.POSITIVE_INFINITY;
      for (;;) {
        plan = await planDay();
        const now = plan.unfilled.reduce((n, u) => n + u.reasons.filter((r) => r.rule === 'accreditation').reduce((m, r) => m + r.members, 0), 0);
        if (now === 0 || now >= heldBack || Date.now() > waitUntil) break;
        heldBack = now;
        await new Promise((r) => setTimeout(r, 2000));
      }
      await ok(workforce.POST('/v1/editions/{edition}/roster/plans/{planId}/publish', { params: { path: { ...edition, planId: plan.planId } } }));
      await ok(workforce.POST('/v1/editions/{edition}/shifts/publish', { params: { path: edition }, body: { localDate: date } }));
      const m = plan.metrics;
      console.log(
        `roster ${date}: ${m.filled} of ${m.places} places filled (${Math.round(m.filledShare * 100)} %), ${m.membersWhoCouldWork} members could work, ` +
          `hours per member ${m.hours.min}-${m.hours.max}; ${plan.unfilled.length} shifts not full; published`,
      );
    }

    // 6. Check-ins of today's shifts already started (and check-outs of those over), by card number as a desk reads them.
    const now = Date.now();
    let checkedIn = 0;
    let late = 0;
    let out = 0;
    for (const v of venues) {
      const today = localDate(now, v.timeZone);
      const shifts = await all((cursor) =>
        ok(workforce.GET('/v1/editions/{edition}/shifts', { params: { path: edition, query: { localDate: today, venue: v.code, limit: 500, cursor } } })),
      );
      const started = shifts.filter((s) => Date.parse(s.start) <= now && Date.parse(s.start) > now - DAY + 2 * 60 * MIN);
      const places: { shift: (typeof started)[number]; memberId: string }[] = [];
      for (const s of started) {
        const detail = await ok(workforce.GET('/v1/editions/{edition}/shifts/{id}', { params: { path: { ...edition, id: s.id } } }));
        for (const a of detail.assignments) if (a.status === 'assigned' || a.status === 'no-show') places.push({ shift: s, memberId: a.memberId });
      }
      await pool(places, CONCURRENCY, async ({ shift, memberId }) => {
        const cardNumber = cardOf.get(memberId);
        const r = random();
        if (!cardNumber || r < 0.08) return; // a no-show
        const start = Date.parse(shift.start);
        const arrives = r < 0.2 ? start + (11 + Math.floor(random() * 40)) * MIN : start - (5 + Math.floor(random() * 40)) * MIN;
        if (arrives > now) return; // still to come
        try {
          const venue = { params: { path: { ...edition, venue: v.code } } };
          const a = await ok(workforce.POST('/v1/editions/{edition}/venues/{venue}/check-ins', { ...venue, body: { cardNumber, at: new Date(arrives).toISOString() } }));
          checkedIn++;
          if (a.late) late++;
          const end = Date.parse(shift.end);
          if (end + 5 * MIN <= now) {
            await ok(workforce.POST('/v1/editions/{edition}/venues/{venue}/check-outs', { ...venue, body: { cardNumber, at: new Date(end + Math.floor(random() * 10) * MIN).toISOString() } }));
            out++;
          }
        } catch (error) {
          if (!(error instanceof ApiError && [409, 422].includes(error.status))) throw error;
        }
      });
    }
    console.log(`check-ins of today's shifts started: ${checkedIn} (${late} late), ${out} checked out since; the others are no-shows once the sweep sees them`);
    return 0;
  } catch (error) {
    printProblem(error, (line) => console.error(line));
    return 1;
  }
}

runMain(main);
