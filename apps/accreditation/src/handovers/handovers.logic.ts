/**
 * Volunteers' and staff's applications from their services' events (pure): what a hand-over is, which category and
 * Responsible Organisation its application takes, and where an event leaves it.
 */
import type { MemberState, VolunteerHandover } from '@podium/contracts';

import type { AccreditationPack } from '../reference-data/pack';

export const HANDOVER_SOURCES = ['volunteers', 'workforce'] as const;
export type HandoverSource = (typeof HANDOVER_SOURCES)[number];

export const HANDOVER_KINDS = ['volunteer', 'staff', 'contractor'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

export const HANDOVER_STATUSES = ['pending', 'refused', 'applied', 'withdrawn', 'erased'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/**
 * The category of each kind's application: the codes the contracts name (volunteers.ts: VOL; workforce.ts: OC and
 * CON) and the demo pack defines. An edition whose pack lacks one keeps that kind's hand-overs pending.
 */
export const HANDOVER_CATEGORY: Record<HandoverKind, string> = { volunteer: 'VOL', staff: 'OC', contractor: 'CON' };

/** Who changes an application on a source's behalf (the history's `by`, the submission's `submittedBy`). */
export const SOURCE_ACTOR: Record<HandoverSource, string> = { volunteers: 'volunteers', workforce: 'workforce' };

/** Why a withdrawal or release withdraws the application or revokes its card (the history's reason). */
export const WITHDRAWAL_REASON: Record<HandoverKind, string> = {
  volunteer: 'volunteer withdrawn',
  staff: 'workforce member released',
  contractor: 'workforce member released',
};

/** A person handed over, as kept (`handover` row): the latest version of a volunteer or a workforce member. */
export interface Handover {
  source: HandoverSource;
  id: string;
  edition: string;
  kind: HandoverKind;
  employer: string | null;
  familyName: string | null;
  givenName: string | null;
  dateOfBirth: string | null;
  nationality: string | null;
  role: string | null;
  functionalArea: string | null;
  venue: string | null;
  active: boolean;
  /** What the source said about a withdrawal (kept as the status detail); null otherwise. */
  withdrawalReason: string | null;
  version: number;
  sourceUpdatedAt: string;
}

export function fromVolunteerConfirmed(v: VolunteerHandover): Handover {
  return {
    source: 'volunteers',
    id: v.id,
    edition: v.edition,
    kind: 'volunteer',
    employer: null,
    familyName: v.familyName,
    givenName: v.givenName,
    dateOfBirth: v.dateOfBirth,
    nationality: v.nationality,
    role: v.role,
    functionalArea: v.functionalArea,
    venue: v.venue,
    active: true,
    withdrawalReason: null,
    version: v.version,
    sourceUpdatedAt: v.updatedAt,
  };
}

export function fromVolunteerWithdrawn(w: { id: string; edition: string; reason: string; version: number; updatedAt: string }): Handover {
  return {
    source: 'volunteers',
    id: w.id,
    edition: w.edition,
    kind: 'volunteer',
    employer: null,
    familyName: null,
    givenName: null,
    dateOfBirth: null,
    nationality: null,
    role: null,
    functionalArea: null,
    venue: null,
    active: false,
    withdrawalReason: w.reason,
    version: w.version,
    sourceUpdatedAt: w.updatedAt,
  };
}

/**
 * A workforce member's state as a hand-over; null for a member of type volunteer: volunteers come from the volunteers
 * service's own events (`oms.volunteers.v1.volunteer.{edition}.confirmed`), one application per person.
 */
export function fromMember(m: MemberState): Handover | null {
  if (m.type === 'volunteer') return null;
  return {
    source: 'workforce',
    id: m.id,
    edition: m.edition,
    kind: m.type,
    employer: m.organisation,
    familyName: m.familyName,
    givenName: m.givenName,
    dateOfBirth: m.dateOfBirth,
    nationality: m.nationality,
    role: m.role,
    functionalArea: m.functionalArea,
    venue: m.homeVenue,
    active: m.status === 'active',
    withdrawalReason: m.status === 'released' ? 'released by workforce' : null,
    version: m.version,
    sourceUpdatedAt: m.updatedAt,
  };
}

export type Target = { ok: true; organisation: string; category: string } | { ok: false; reason: 'no-category' | 'no-organisation'; detail: string };

/**
 * The Responsible Organisation and category of a hand-over's application in `pack`: the kind's category (it must be
 * defined), and the organisation that has a quota of it: a workforce member's employer when the pack has it with
 * such a quota (a contractor company accredited as a Responsible Organisation of its own), else the organising
 * committee (kind OC; the first by code with such a quota).
 */
export function resolveTarget(pack: AccreditationPack, handover: Pick<Handover, 'edition' | 'kind' | 'employer'>): Target {
  const category = HANDOVER_CATEGORY[handover.kind];
  if (!pack.categories.some((c) => c.code === category)) {
    return { ok: false, reason: 'no-category', detail: `${handover.edition} has no category ${category} (${handover.kind}s) in its reference data` };
  }
  const hasQuota = (o: AccreditationPack['organisations'][number]) => Object.prototype.hasOwnProperty.call(o.quotas, category);
  const employer = handover.employer === null ? undefined : pack.organisations.find((o) => o.code === handover.employer && hasQuota(o));
  const oc = pack.organisations.filter((o) => o.kind === 'OC' && hasQuota(o)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0];
  const organisation = employer ?? oc;
  if (!organisation) {
    return { ok: false, reason: 'no-organisation', detail: `${handover.edition} has no organising committee (kind OC) with a quota of category ${category}` };
  }
  return { ok: true, organisation: organisation.code, category };
}
