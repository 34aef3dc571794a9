/**
 * The accreditation workflow as data (pure): the states of an application and what may move it, with the reason
 * code of a refusal. submitted -> vetting (the security result is recorded) -> approved | rejected -> card-issued
 * (printed) -> activated (picked up: its first credential) -> suspended <-> activated, -> revoked (from card-issued
 * too). A card's expiry is not a move: its status is `expired` once past its validity (cards.logic cardStatusAt),
 * and then only a revocation may change it.
 */
export const APPLICATION_STATES = ['submitted', 'vetting', 'approved', 'rejected', 'card-issued', 'activated', 'suspended', 'revoked'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const VETTING_RESULTS = ['cleared', 'not-cleared'] as const;
export type VettingResult = (typeof VETTING_RESULTS)[number];

export type WorkflowAction =
  | 'start-vetting'
  | 'record-vetting'
  | 'approve'
  | 'reject'
  | 'issue-card'
  | 'activate'
  | 'reissue'
  | 'upgrade'
  | 'withdraw-upgrade'
  | 'suspend'
  | 'reinstate'
  | 'revoke';

export type WorkflowStep =
  | { ok: true; to: ApplicationState }
  | { ok: false; slug: 'invalid-transition' | 'vetting-not-cleared' | 'not-approved'; detail: string };

const refuse = (action: WorkflowAction, from: ApplicationState): WorkflowStep => ({
  ok: false,
  slug: 'invalid-transition',
  detail: `${action} is not possible in state ${from}`,
});

/** Where `action` takes an application in state `from` with its vetting result, or why it may not. */
export function step(action: WorkflowAction, from: ApplicationState, vetting: VettingResult | null): WorkflowStep {
  switch (action) {
    case 'start-vetting':
      return from === 'submitted' ? { ok: true, to: 'vetting' } : refuse(action, from);
    case 'record-vetting':
      return from === 'vetting' ? { ok: true, to: 'vetting' } : refuse(action, from);
    case 'approve':
      if (from !== 'vetting') return refuse(action, from);
      return vetting === 'cleared' ? { ok: true, to: 'approved' } : { ok: false, slug: 'vetting-not-cleared', detail: 'the security vetting has not cleared this application' };
    case 'reject':
      return from === 'submitted' || from === 'vetting' || from === 'approved' ? { ok: true, to: 'rejected' } : refuse(action, from);
    case 'issue-card':
      // Clearance first: a card is never issued before the security vetting cleared the person, whatever the state.
      if (vetting !== 'cleared') return { ok: false, slug: 'vetting-not-cleared', detail: 'no card before the security vetting has cleared this application' };
      return from === 'approved' ? { ok: true, to: 'card-issued' } : { ok: false, slug: 'not-approved', detail: `no card for an application in state ${from}` };
    case 'activate':
      return from === 'card-issued' ? { ok: true, to: 'activated' } : refuse(action, from);
    case 'reissue':
    case 'upgrade':
    case 'withdraw-upgrade':
      // privileges may change before pick-up too (the credential signed at activation carries them)
      return from === 'card-issued' || from === 'activated' || from === 'suspended' ? { ok: true, to: from } : refuse(action, from);
    case 'suspend':
      return from === 'activated' ? { ok: true, to: 'suspended' } : refuse(action, from);
    case 'reinstate':
      return from === 'suspended' ? { ok: true, to: 'activated' } : refuse(action, from);
    case 'revoke':
      return from === 'card-issued' || from === 'activated' || from === 'suspended' ? { ok: true, to: 'revoked' } : refuse(action, from);
  }
}

/** A rejection gives the organisation its quota place back; nothing else does (a revoked card's place stays used). */
export function releasesQuotaPlace(to: ApplicationState): boolean {
  return to === 'rejected';
}
