import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberState } from '@podium/contracts';

import { type AccreditationPack, parseAccreditationPack } from '../reference-data/pack';
import { fromMember, fromVolunteerWithdrawn, resolveTarget } from './handovers.logic';

function demoPack(): AccreditationPack {
  const parsed = parseAccreditationPack(JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.pack;
}

const member: MemberState = {
  id: '6a1f2e3d-4c5b-4a69-8877-665544332211',
  edition: 'OG2024',
  type: 'staff',
  volunteerId: null,
  familyName: 'BERNARD',
  givenName: 'Hugo',
  dateOfBirth: '1988-11-23',
  nationality: 'FRA',
  organisation: 'PARIS2024',
  role: 'Venue manager',
  functionalArea: 'VEN',
  homeVenue: 'STA',
  status: 'active',
  version: 1,
  updatedAt: '2024-06-01T08:00:00.000Z',
};

describe('hand-overs', () => {
  const pack = demoPack();

  it("gives each kind its category of the demo pack and the organising committee's organisation", () => {
    expect(resolveTarget(pack, { edition: 'OG2024', kind: 'volunteer', employer: null })).toEqual({ ok: true, organisation: 'PARIS2024', category: 'VOL' });
    expect(resolveTarget(pack, { edition: 'OG2024', kind: 'staff', employer: 'PARIS2024' })).toEqual({ ok: true, organisation: 'PARIS2024', category: 'OC' });
    // A contractor company that is not a Responsible Organisation of the pack: the OC's quota of contractors.
    expect(resolveTarget(pack, { edition: 'OG2024', kind: 'contractor', employer: 'ACME' })).toEqual({ ok: true, organisation: 'PARIS2024', category: 'CON' });
  });

  it("takes a contractor company's own quota when the pack makes it a Responsible Organisation with one", () => {
    const withCompany = { ...pack, organisations: [...pack.organisations, { code: 'ACME', name: 'Acme', kind: 'OTHER' as const, quotas: { CON: 10 } }] };
    expect(resolveTarget(withCompany, { edition: 'OG2024', kind: 'contractor', employer: 'ACME' })).toEqual({ ok: true, organisation: 'ACME', category: 'CON' });
    // An employer without a quota of the category does not take it: the OC's.
    expect(resolveTarget(withCompany, { edition: 'OG2024', kind: 'staff', employer: 'ACME' })).toMatchObject({ organisation: 'PARIS2024' });
  });

  it('says why when the category or the organisation is missing', () => {
    const noVol = { ...pack, categories: pack.categories.filter((c) => c.code !== 'VOL') };
    expect(resolveTarget(noVol, { edition: 'OG2024', kind: 'volunteer', employer: null })).toMatchObject({ ok: false, reason: 'no-category' });
    const noOc = { ...pack, organisations: pack.organisations.filter((o) => o.kind !== 'OC') };
    expect(resolveTarget(noOc, { edition: 'OG2024', kind: 'volunteer', employer: null })).toMatchObject({ ok: false, reason: 'no-organisation' });
  });

  it('keeps staff and contractors of workforce, not its volunteers, and a release is inactive', () => {
    expect(fromMember(member)).toMatchObject({ source: 'workforce', kind: 'staff', employer: 'PARIS2024', active: true, familyName: 'BERNARD' });
    expect(fromMember({ ...member, type: 'contractor', status: 'released' })).toMatchObject({ kind: 'contractor', active: false });
    expect(fromMember({ ...member, type: 'volunteer', volunteerId: member.id })).toBeNull();
  });

  it('keeps a withdrawal without names (the confirmed ones stay)', () => {
    const w = fromVolunteerWithdrawn({ id: member.id, edition: 'OG2024', reason: 'moved away', version: 2, updatedAt: member.updatedAt });
    expect(w).toMatchObject({ active: false, familyName: null, withdrawalReason: 'moved away', version: 2 });
  });
});
