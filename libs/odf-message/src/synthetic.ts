/**
 * Realistic synthetic ODF messages for tests and benchmarks (deterministic for a given seed).
 * Each generator returns the same message as XML and as its JSON mapping; both parse back to equal messages.
 */
import { parseRsc, type ResultStatus, type Rsc } from '@podium/odf';
import { seededRandom } from '@podium/random';

import type { OdfElement } from './element';
import type { FeedFlag, OdfHeader } from './header';
import { type OdfJson, toOdfXml } from './message';
import type { MedalType } from './medals';

export interface SyntheticMessage {
  readonly xml: string;
  readonly json: OdfJson;
}

export interface SyntheticCommonOptions {
  readonly version?: number;
  readonly competitionCode?: string;
  readonly feedFlag?: FeedFlag;
  /** Sending system (ODF Source), default `<discipline>VEN1`. */
  readonly source?: string;
  readonly language?: string;
  /** Transmission time (Date/Time in UTC), default 2024-08-01T10:00:00.000Z. */
  readonly at?: Date;
  /** A message without Competition (a withdrawal). */
  readonly withdrawal?: boolean;
}

export interface SyntheticResultOptions extends SyntheticCommonOptions {
  /** Unit RSC. */
  readonly rsc: string;
  /** Default 'LIVE' (DT_RESULT), always LIVE for DT_CURRENT unless given. */
  readonly resultStatus?: ResultStatus;
  /** Number of competitors, default 8. */
  readonly competitors?: number;
  /** Intermediate results per competitor, default 3 (each adds ~90 bytes per competitor). */
  readonly splits?: number;
  /** PRNG seed for names, countries and times, default 1. */
  readonly seed?: number;
}

const NOCS = [
  'USA',
  'CHN',
  'JPN',
  'FRA',
  'GBR',
  'AUS',
  'KEN',
  'JAM',
  'ITA',
  'GER',
  'NED',
  'BRA',
  'CAN',
  'ESP',
  'KOR',
  'NZL',
  'ETH',
  'SUI',
  'CZE',
  'POL',
];
const GIVEN = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Eun-ji',
  'Faith',
  'Gabriel',
  'Hana',
  'Ivo',
  'Jakob',
  'Kirani',
  'Léa',
  'Mo',
  'Noah',
  'Olga',
  'Pedro',
  'Qiu',
  'Rai',
  'Sifan',
  'Tamás',
];
const FAMILY = [
  'ADAMS',
  'BERNARD',
  'CHEN',
  'DUPONT',
  'EDWARDS',
  'FISCHER',
  "O'NEIL",
  'GARCÍA',
  'HASSAN',
  'ITO',
  'JONES',
  'KIM',
  'LYLES',
  'MÜLLER',
  'NOVAK',
  'OKAFOR',
  'PETROVA',
  'ROSSI',
  'SMITH',
  'TANAKA',
];
const DISCIPLINES: Readonly<Record<string, string>> = {
  ATH: 'Athletics',
  SWM: 'Swimming',
  CSP: 'Canoe Sprint',
  ROW: 'Rowing',
  CTR: 'Cycling Track',
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function odfDateTime(at: Date): { date: string; time: string } {
  return {
    date: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1, 2)}-${pad(at.getUTCDate(), 2)}`,
    time: `${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}${pad(at.getUTCSeconds(), 2)}${pad(at.getUTCMilliseconds(), 3)}`,
  };
}

function formatTime(seconds: number): string {
  const hundredths = Math.round(seconds * 100);
  const s = Math.floor(hundredths / 100);
  const cs = pad(hundredths % 100, 2);
  return s >= 60 ? `${Math.floor(s / 60)}:${pad(s % 60, 2)}.${cs}` : `${s}.${cs}`;
}

function header(
  documentCode: string,
  documentType: string,
  defaults: { resultStatus?: ResultStatus },
  o: SyntheticCommonOptions & { resultStatus?: ResultStatus },
): OdfHeader {
  const { date, time } = odfDateTime(o.at ?? new Date('2024-08-01T10:00:00.000Z'));
  const resultStatus = o.resultStatus ?? defaults.resultStatus;
  return {
    competitionCode: o.competitionCode ?? 'OG2024',
    documentCode,
    documentType,
    version: o.version ?? 1,
    ...(resultStatus === undefined ? {} : { resultStatus }),
    feedFlag: o.feedFlag ?? 'P',
    date,
    time,
    logicalDate: date,
    source: o.source ?? `${documentCode.slice(0, 3)}VEN1`,
    ...(o.language === undefined ? {} : { language: o.language }),
  };
}

function message(h: OdfHeader, competition: OdfElement | null): SyntheticMessage {
  const json: OdfJson = { ...h, competition };
  return { xml: toOdfXml(json), json };
}

function unitRsc(rsc: string): Rsc {
  const parsed = parseRsc(rsc);
  if (!parsed.ok) throw new TypeError(`invalid RSC ${rsc}: ${parsed.error}`);
  return parsed.value;
}

function sportDescription(discipline: string, gender: string, eventType: string): OdfElement {
  const g = gender === 'W' ? 'Women' : gender === 'M' ? 'Men' : 'Mixed';
  return {
    DisciplineName: DISCIPLINES[discipline] ?? discipline,
    EventName: `${g}'s ${eventType.replace(/-+$/, '')}`,
    Gender: gender,
  };
}

interface Competitor {
  code: string;
  noc: string;
  given: string;
  family: string;
  seconds: number;
}

function field(n: number, seed: number, baseSeconds: number): Competitor[] {
  const random = seededRandom(seed >>> 0 || 1); // 0 read as 1, as these fields were always made
  const out: Competitor[] = [];
  let seconds = baseSeconds;
  for (let i = 0; i < n; i++) {
    seconds += 0.01 + random() * 0.25;
    out.push({
      code: String(1_500_000 + Math.floor(random() * 400_000)),
      noc: NOCS[Math.floor(random() * NOCS.length)] ?? 'USA',
      given: GIVEN[Math.floor(random() * GIVEN.length)] ?? 'Ana',
      family: FAMILY[Math.floor(random() * FAMILY.length)] ?? 'SMITH',
      seconds,
    });
  }
  return out;
}

/**
 * A DT_RESULT for a unit: `competitors` Results with rank, time, splits and the athlete's description.
 * START_LIST: no ranks or times; LIVE/INTERMEDIATE: the first half finished; other statuses: all finished.
 * About 600 bytes per competitor with 3 splits (8 competitors ≈ 5 KB, 30 ≈ 18 KB).
 */
export function makeResultMessage(options: SyntheticResultOptions): SyntheticMessage {
  const rsc = unitRsc(options.rsc);
  const h = header(rsc.code, 'DT_RESULT', { resultStatus: 'LIVE' }, options);
  if (options.withdrawal) return message(h, null);
  const status = h.resultStatus;
  const n = options.competitors ?? 8;
  const splits = options.splits ?? 3;
  const finished =
    status === 'START_LIST' ? 0 : status === 'LIVE' || status === 'INTERMEDIATE' ? Math.ceil(n / 2) : n;
  const competitors = field(n, options.seed ?? 1, 9.7);
  const gender = rsc.gender === 'W' ? 'F' : 'M';
  const results: OdfElement[] = competitors.map((c, i) => {
    const done = i < finished;
    const result: OdfElement = {
      ...(done
        ? { Rank: String(i + 1), RankEqual: 'N', Result: formatTime(c.seconds), ResultType: 'TIME' }
        : {}),
      SortOrder: String(i + 1),
      StartOrder: String(((i * 5) % n) + 1),
      StartSortOrder: String(i + 1),
    };
    if (done && splits > 0) {
      result['ExtendedResults'] = [
        {
          ExtendedResult: Array.from({ length: splits }, (_, s) => ({
            Type: 'ER',
            Code: 'INTERMEDIATE',
            Pos: String(s + 1),
            Value: formatTime((c.seconds * (s + 1)) / (splits + 1)),
            Rank: String(((i + s) % n) + 1),
          })),
        },
      ];
    }
    result['Competitor'] = [
      {
        Code: c.code,
        Type: 'A',
        Organisation: c.noc,
        Composition: [
          {
            Athlete: [
              {
                Code: c.code,
                Order: '1',
                Description: [
                  {
                    GivenName: c.given,
                    FamilyName: c.family,
                    Gender: gender,
                    Organisation: c.noc,
                    BirthDate: `${1990 + (i % 12)}-0${1 + (i % 9)}-1${i % 10}`,
                    IFId: String(14_000 + i),
                  },
                ],
              },
            ],
          },
        ],
      },
    ];
    return result;
  });
  const competition: OdfElement = {
    Gen: 'SOG-2024-GEN-V3.7',
    Sport: `SOG-2024-${rsc.discipline}-1.0`,
    Codes: 'SOG-2024-CC-V4.10',
    ExtendedInfos: [
      {
        ExtendedInfo: [
          { Type: 'UI', Code: 'WIND', Value: '+0.4' },
          { Type: 'UI', Code: 'PHOTO_FINISH', Value: 'Y' },
        ],
        SportDescription: [sportDescription(rsc.discipline, rsc.gender, rsc.eventType)],
        VenueDescription: [
          { Venue: 'STA', VenueName: 'Stade de France', Location: 'STA', LocationName: 'Stade de France' },
        ],
      },
    ],
    Result: results,
  };
  return message(h, competition);
}

/**
 * A DT_CURRENT (the running clock and current standings, sent several times per second): LIVE by default,
 * `competitors` Results with a running time, the clock in an ExtendedInfo. Smaller than a DT_RESULT.
 */
export function makeCurrentMessage(options: SyntheticResultOptions): SyntheticMessage {
  const rsc = unitRsc(options.rsc);
  const h = header(rsc.code, 'DT_CURRENT', { resultStatus: 'LIVE' }, options);
  if (options.withdrawal) return message(h, null);
  const competitors = field(options.competitors ?? 8, options.seed ?? 1, 9.7);
  const clock = formatTime(((options.version ?? 1) * 0.1) % 600);
  const competition: OdfElement = {
    ExtendedInfos: [
      {
        ExtendedInfo: [
          { Type: 'UI', Code: 'RUNNING_TIME', Value: clock },
          { Type: 'UI', Code: 'CURRENT', Value: competitors[0]?.code ?? '' },
        ],
      },
    ],
    Result: competitors.map((c, i) => ({
      Rank: String(i + 1),
      Result: formatTime(c.seconds),
      SortOrder: String(i + 1),
      Competitor: [{ Code: c.code, Type: 'A', Organisation: c.noc }],
    })),
  };
  return message(h, competition);
}

export interface SyntheticMedallistsOptions extends SyntheticCommonOptions {
  /** Event RSC (phase and unit '-'), or any RSC of the event. */
  readonly eventRsc: string;
  readonly medals: readonly { readonly medal: MedalType; readonly noc: string; readonly code?: string }[];
}

/** A DT_MEDALLISTS message (OFFICIAL) shaped like the LA28 squash sample. */
export function makeMedallistsMessage(options: SyntheticMedallistsOptions): SyntheticMessage {
  const rsc = unitRsc(options.eventRsc);
  const h = header(rsc.eventCode, 'DT_MEDALLISTS', { resultStatus: 'OFFICIAL' }, options);
  if (options.withdrawal) return message(h, null);
  const competition: OdfElement = {
    Medal: options.medals.map((m, i) => ({
      Code: `ME_${m.medal}`,
      Competitor: [{ Code: m.code ?? String(9_000_000 + i), Type: 'A', Organisation: m.noc }],
    })),
  };
  return message(h, competition);
}
