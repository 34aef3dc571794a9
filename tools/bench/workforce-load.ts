/**
 * Workforce members made from the volunteers' generated people (tools/bench/volunteers-load.ts), for the members
 * benchmark (workforce-members.ts) and the workforce demo loader (tools/workforce/load-demo.ts): one way to turn a
 * person and the group they join into the member fields the bulk path takes.
 */
import type { VolunteerRow } from './volunteers-load';

/** The group a member joins: organisation, functional area and role. */
export interface MemberGroup {
  organisation: string;
  area: string;
  role: string;
}

/** The member fields of `person` (names, date of birth, nationality, skills, languages) in `group`, at `homeVenue`. */
export interface PersonMemberFields {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  nationality: string;
  organisation: string;
  role: string;
  functionalArea: string;
  homeVenue: string;
  skills: string[];
  languages: string[];
  preferences: Record<string, unknown>;
}

/**
 * `person` as a member of `group`: the role's `skills` first, then the person's (at most `maxSkills`); the person's
 * languages, plus English 60% of the time where `mayAddEnglish`; a shift-start preference 30% of the time. Draws from
 * `random` in that order (English only where it may be added), so a seeded load gives the same members.
 */
export function memberOfPerson(
  person: VolunteerRow,
  group: MemberGroup,
  options: { homeVenue: string; skills: readonly string[]; maxSkills?: number; mayAddEnglish: boolean },
  random: () => number,
): PersonMemberFields {
  return {
    familyName: person.familyName,
    givenName: person.givenName,
    dateOfBirth: person.dateOfBirth,
    nationality: person.nationality,
    organisation: group.organisation,
    role: group.role,
    functionalArea: group.area,
    homeVenue: options.homeVenue,
    skills: [...new Set([...options.skills, ...person.skills])].slice(0, options.maxSkills),
    languages: [...new Set(person.languages.map((l) => l.code).concat(options.mayAddEnglish && random() < 0.6 ? ['en'] : []))],
    preferences: random() < 0.3 ? { shiftStarts: random() < 0.5 ? 'early' : 'late' } : {},
  };
}
