/**
 * Seeded rostering instances for the auto-roster's tests and benchmark (tools/bench/workforce-roster.ts): one day of
 * shifts at several venues (UTC+2, as Paris in summer), members of the three types with a realistic mix of skills,
 * languages, home venues, accreditations and availability, and earlier assignments (the previous nights, the next
 * morning, runs of days) so that rest, consecutive-days and weekly-hours rules bite. Same seed, same instance.
 */
import { seededRandom } from '@podium/random';

import { DEFAULT_RULES } from '../rules/rules.logic';
import type { CardFacts, MemberFacts, MemberType, ShiftFacts } from '../rules/rules.types';
import type { RosterInput, RosterShift } from './roster.logic';

const HOUR = 3_600_000;
const OFFSET = 2 * HOUR;

export const ROSTER_VENUES = ['STA', 'AQU', 'ARE', 'VEL', 'BEA', 'GOL', 'TEN', 'MAR'] as const;
export const ROSTER_AREAS = ['SPT', 'SEC', 'MED', 'TRA', 'LAN', 'CSV', 'TEC', 'VEN'] as const;
export const ROSTER_SKILLS = ['first-aid', 'forklift', 'driving-minibus', 'it-support', 'security', 'sign-language'] as const;
export const ROSTER_LANGUAGES = ['fr', 'en', 'es', 'de', 'ja', 'zh', 'ar'] as const;

/** A v4-shaped id from the generator (valid for the database's uuid columns). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function addLocalDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);
}

/** A shift at local `hour` (UTC+2) on `day`, lasting `hours`. */
export function localShift(id: string, venue: string, area: string, day: string, hour: number, hours: number, over: Partial<ShiftFacts> = {}): ShiftFacts {
  const start = Date.parse(`${day}T00:00:00Z`) + hour * HOUR - OFFSET;
  return { id, venue, functionalArea: area, start, end: start + hours * HOUR, localDate: day, requiredSkills: [], requiredLanguages: [], ...over };
}

export interface InstanceOptions {
  members: number;
  shifts: number;
  seed: number;
  day?: string;
  /** Places per member (default 0.78: about the members who can work the day, 77% in this mix). */
  placesPerMember?: number;
}

export interface GeneratedInstance {
  input: RosterInput;
  day: string;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function some<T>(random: () => number, list: readonly T[], p: number): T[] {
  return list.filter(() => random() < p);
}

export function generateInstance(options: InstanceOptions): GeneratedInstance {
  const random = seededRandom(options.seed);
  const day = options.day ?? '2024-08-02';
  const dayStart = Date.parse(`${day}T00:00:00Z`) - OFFSET;
  const members: MemberFacts[] = [];
  const others = new Map<string, ShiftFacts[]>();
  let otherCount = 0;
  for (let i = 0; i < options.members; i++) {
    const r = random();
    const type: MemberType = r < 0.7 ? 'volunteer' : r < 0.9 ? 'staff' : 'contractor';
    const home = pick(random, ROSTER_VENUES);
    const c = random();
    const cards: CardFacts[] = [];
    const validFrom = dayStart - 30 * 24 * HOUR;
    const validTo = dayStart + 30 * 24 * HOUR;
    if (c < 0.1) cards.push({ cardNumber: `C${i}`, status: 'active', venues: ['ALL'], validFrom, validTo });
    else if (c < 0.9) cards.push({ cardNumber: `C${i}`, status: 'active', venues: [home, ...some(random, ROSTER_VENUES, 0.2).filter((v) => v !== home)], validFrom, validTo });
    else if (c < 0.94) cards.push({ cardNumber: `C${i}`, status: 'suspended', venues: [home], validFrom, validTo });
    else if (c < 0.96) cards.push({ cardNumber: `C${i}`, status: 'active', venues: [home], validFrom, validTo: dayStart + 12 * HOUR });
    const languages = [
      ...(random() < 0.85 ? ['fr'] : []),
      ...(random() < 0.7 ? ['en'] : []),
      ...some(random, ROSTER_LANGUAGES.slice(2), 0.1),
    ];
    const a = random();
    const availableDates = a < 0.7 ? [] : [-2, -1, 0, 1, 2].map((d) => addLocalDays(day, d)).filter((d) => d !== day || a < 0.95);
    const member: MemberFacts = {
      id: seededUuid(random),
      type,
      status: random() < 0.01 ? 'released' : 'active',
      functionalArea: pick(random, ROSTER_AREAS),
      homeVenue: home,
      skills: some(random, ROSTER_SKILLS, 0.2),
      languages: languages.length > 0 ? languages : ['fr'],
      availableDates,
      cards,
      preferences: {
        venues: random() < 0.3 ? [pick(random, ROSTER_VENUES)] : [],
        functionalAreas: random() < 0.3 ? [pick(random, ROSTER_AREAS)] : [],
        shiftStarts: random() < 0.4 ? (random() < 0.5 ? 'early' : 'late') : null,
      },
    };
    members.push(member);
    // Earlier assignments of about a third of the members.
    const e = random();
    const list: ShiftFacts[] = [];
    const other = (d: number, hour: number, hours: number) =>
      list.push(localShift(`o-${otherCount++}`, home, member.functionalArea, addLocalDays(day, d), hour, hours));
    if (e < 0.1) other(-1, 14 + Math.floor(random() * 8), 8); // last night: rest bites the morning
    else if (e < 0.18) other(1, 5 + Math.floor(random() * 4), 8); // tomorrow early: rest bites the evening
    else if (e < 0.24) for (let d = -5; d <= -1; d++) other(d, 8, 8); // five days in a row
    else if (e < 0.3) for (const d of [-6, -5, -4, -3, -2]) other(d, 7, 9.5); // 47.5 h already this week
    else if (e < 0.34) {
      other(-3, 8, 8);
      other(-2, 8, 8);
    }
    if (list.length > 0) others.set(member.id, list);
  }

  const starts: Array<[number, number]> = [
    [6, 8],
    [7, 8],
    [8, 6],
    [10, 8],
    [12, 4],
    [14, 8],
    [16, 6],
    [18, 5],
    [22, 8],
  ];
  const shifts: RosterShift[] = [];
  const places = Math.round(options.members * (options.placesPerMember ?? 0.78));
  const weights = Array.from({ length: options.shifts }, () => 0.3 + random());
  const total = weights.reduce((t, w) => t + w, 0);
  for (let i = 0; i < options.shifts; i++) {
    const [hour, hours] = pick(random, starts);
    const s = random();
    const requiredSkills = s < 0.15 ? ['first-aid'] : s < 0.22 ? [pick(random, ROSTER_SKILLS)] : [];
    const l = random();
    const requiredLanguages = l < 0.2 ? ['en'] : l < 0.25 ? [pick(random, ROSTER_LANGUAGES.slice(2))] : [];
    const facts = localShift(seededUuid(random), pick(random, ROSTER_VENUES), pick(random, ROSTER_AREAS), day, hour, hours, {
      requiredSkills,
      requiredLanguages,
    });
    shifts.push({ facts, headcount: Math.max(1, Math.round((places * (weights[i] as number)) / total)), startLocalHour: hour, assigned: [] });
  }
  return { input: { members, shifts, others, rules: DEFAULT_RULES }, day };
}
