/**
 * ODF Results System Code (RSC).
 *
 * 34 characters: discipline(3) + gender(1) + eventType(8) + eventModifier(10) + phase(4) + unit(8),
 * uppercase A-Z / 0-9, '-' as filler. Example: `ATHM100M--------------FNL-000100--`.
 *
 * The event code is the RSC with phase and unit all '-'; the phase code is the RSC with unit all '-'.
 */

/** Gender codes used in the RSC (ODF): Men, Women, Mixed, Open. */
export const GENDERS = ['M', 'W', 'X', 'O'] as const;
export type Gender = (typeof GENDERS)[number];
/** Gender position of an RSC: a gender, or '-' for codes that are not gender-specific (e.g. a meet-level unit). */
export const RSC_GENDERS = [...GENDERS, '-'] as const;
export type RscGender = (typeof RSC_GENDERS)[number];

export const RSC_LENGTH = 34;
export const RSC_FILLER = '-';

/** Field layout of an RSC, in order. */
export const RSC_FIELDS = [
  { name: 'discipline', length: 3 },
  { name: 'gender', length: 1 },
  { name: 'eventType', length: 8 },
  { name: 'eventModifier', length: 10 },
  { name: 'phase', length: 4 },
  { name: 'unit', length: 8 },
] as const;

export type RscFieldName = (typeof RSC_FIELDS)[number]['name'];

export interface Rsc {
  /** The full 34-character code. */
  readonly code: string;
  readonly discipline: string;
  readonly gender: RscGender;
  readonly eventType: string;
  readonly eventModifier: string;
  readonly phase: string;
  readonly unit: string;
  /** The RSC with phase and unit all '-'. */
  readonly eventCode: string;
  /** The RSC with unit all '-'. */
  readonly phaseCode: string;
}

export type ParseRscResult = { ok: true; value: Rsc } | { ok: false; error: string };

const PHASE_OFFSET = 3 + 1 + 8 + 10;
const UNIT_OFFSET = PHASE_OFFSET + 4;
const ALLOWED_CHAR = /^[A-Z0-9-]$/;
const DISCIPLINE = /^[A-Z]{3}$/;

function isRscGender(value: string): value is RscGender {
  return (RSC_GENDERS as readonly string[]).includes(value);
}

function describe(input: unknown): string {
  return input === null ? 'null' : typeof input;
}

/**
 * Parses and validates an RSC. Never throws: returns `{ ok: false, error }` with a message that names what is wrong.
 */
export function parseRsc(code: string): ParseRscResult {
  if (typeof code !== 'string') {
    return { ok: false, error: `RSC must be a string, got ${describe(code)}` };
  }
  if (code.length !== RSC_LENGTH) {
    return { ok: false, error: `RSC must be ${RSC_LENGTH} characters, got ${code.length}` };
  }
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i);
    if (!ALLOWED_CHAR.test(ch)) {
      const hint = ch !== ch.toUpperCase() ? ' (RSC must be uppercase)' : '';
      return {
        ok: false,
        error: `RSC contains invalid character ${JSON.stringify(ch)} at position ${i + 1}: allowed are A-Z, 0-9 and '-'${hint}`,
      };
    }
  }

  const parts = {} as Record<RscFieldName, string>;
  let offset = 0;
  for (const field of RSC_FIELDS) {
    parts[field.name] = code.slice(offset, offset + field.length);
    offset += field.length;
  }

  if (!DISCIPLINE.test(parts.discipline)) {
    return {
      ok: false,
      error: `RSC discipline must be 3 letters A-Z, got ${JSON.stringify(parts.discipline)}`,
    };
  }
  const gender = parts.gender;
  if (!isRscGender(gender)) {
    return {
      ok: false,
      error: `RSC gender (position 4) must be one of ${RSC_GENDERS.join(', ')}, got ${JSON.stringify(gender)}`,
    };
  }

  return {
    ok: true,
    value: {
      code,
      discipline: parts.discipline,
      gender,
      eventType: parts.eventType,
      eventModifier: parts.eventModifier,
      phase: parts.phase,
      unit: parts.unit,
      eventCode: code.slice(0, PHASE_OFFSET) + RSC_FILLER.repeat(RSC_LENGTH - PHASE_OFFSET),
      phaseCode: code.slice(0, UNIT_OFFSET) + RSC_FILLER.repeat(RSC_LENGTH - UNIT_OFFSET),
    },
  };
}

/** True when `code` is a valid RSC (see {@link parseRsc}). Accepts unknown input so it can back a schema refinement. */
export function isRsc(code: unknown): code is string {
  return typeof code === 'string' && parseRsc(code).ok;
}

/** Like {@link parseRsc} but throws a `TypeError` carrying the validation message. */
export function parseRscOrThrow(code: string): Rsc {
  const result = parseRsc(code);
  if (!result.ok) {
    throw new TypeError(result.error);
  }
  return result.value;
}

/** The event code of a valid RSC (phase and unit set to '-'). Throws on an invalid RSC. */
export function eventCodeOf(code: string): string {
  return parseRscOrThrow(code).eventCode;
}

/** The phase code of a valid RSC (unit set to '-'). Throws on an invalid RSC. */
export function phaseCodeOf(code: string): string {
  return parseRscOrThrow(code).phaseCode;
}

export type RscLevel = 'discipline' | 'event' | 'phase' | 'unit';

/** How specific an RSC is: a unit, a phase (unit all '-'), an event (phase and unit all '-') or a discipline. */
export function rscLevel(rsc: Rsc): RscLevel {
  const blank = (s: string): boolean => /^-+$/.test(s);
  if (!blank(rsc.unit)) return 'unit';
  if (!blank(rsc.phase)) return 'phase';
  if (!blank(rsc.eventType) || !blank(rsc.eventModifier)) return 'event';
  return 'discipline';
}
