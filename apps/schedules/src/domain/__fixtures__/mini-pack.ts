/** A small valid data pack; each call returns a fresh copy that tests may change. */
import type { DataPackInput } from '../data-pack.schema';
import { rsc, unitNo } from './rsc';

export const M100 = rsc('ATH', 'M', '100M');
export const M100_HEAT = rsc('ATH', 'M', '100M', 'HEAT');
export const M100_SFNL = rsc('ATH', 'M', '100M', 'SFNL');
export const M100_FNL = rsc('ATH', 'M', '100M', 'FNL');
export const M100_HEAT1 = rsc('ATH', 'M', '100M', 'HEAT', unitNo(1));
export const M100_HEAT2 = rsc('ATH', 'M', '100M', 'HEAT', unitNo(2));
export const M100_SF1 = rsc('ATH', 'M', '100M', 'SFNL', unitNo(1));
export const M100_FINAL = rsc('ATH', 'M', '100M', 'FNL', unitNo(1));
export const SRF = rsc('SRF', 'M', 'SHORTBRD');
export const SRF_RND1 = rsc('SRF', 'M', 'SHORTBRD', 'RND1');
export const SRF_FNL = rsc('SRF', 'M', 'SHORTBRD', 'FNL');
export const SRF_HEAT1 = rsc('SRF', 'M', 'SHORTBRD', 'RND1', unitNo(1));
export const SRF_FINAL = rsc('SRF', 'M', 'SHORTBRD', 'FNL', unitNo(1));

export function miniPack(): DataPackInput {
  return {
    format: 'podium.datapack/v1',
    edition: {
      code: 'OG2024',
      name: 'Test Games 2024',
      kind: 'OG',
      timeZone: 'Europe/Paris',
      locale: 'fr-FR',
      startDate: '2024-07-24',
      endDate: '2024-08-11',
    },
    sports: [
      { code: 'ATH', name: 'Athletics' },
      { code: 'SRF', name: 'Surfing' },
    ],
    disciplines: [
      { code: 'ATH', sport: 'ATH', name: 'Athletics' },
      { code: 'SRF', sport: 'SRF', name: 'Surfing' },
    ],
    venues: [
      {
        code: 'STA',
        name: 'Stade de France',
        timeZone: 'Europe/Paris',
        openingDays: { from: '2024-08-01', to: '2024-08-11' },
        locations: [
          { code: 'TRACK', name: 'Track' },
          { code: 'FIELD', name: 'Field' },
        ],
      },
      {
        code: 'TEA',
        name: "Teahupo'o",
        timeZone: 'Pacific/Tahiti',
        openingDays: { from: '2024-07-27', to: '2024-08-04' },
        locations: [{ code: 'REEF', name: 'Reef' }],
      },
    ],
    events: [
      { rsc: M100, name: "Men's 100m", gender: 'M', medal: true },
      { rsc: SRF, name: "Men's Shortboard", medal: true },
    ],
    phases: [
      { rsc: M100_HEAT, name: 'Round 1', order: 1 },
      { rsc: M100_SFNL, name: 'Semi-final', order: 2 },
      { rsc: M100_FNL, name: 'Final', order: 3 },
      { rsc: SRF_RND1, name: 'Round 1', order: 1 },
      { rsc: SRF_FNL, name: 'Final', order: 2 },
    ],
    sessions: [
      {
        code: 'ATH01',
        venue: 'STA',
        name: 'Athletics Morning',
        start: '2024-08-02T10:00',
        end: '2024-08-02T13:00',
      },
      {
        code: 'ATH02',
        venue: 'STA',
        name: 'Athletics Evening',
        start: '2024-08-04T19:00',
        end: '2024-08-04T22:30',
      },
      {
        code: 'SRF01',
        venue: 'TEA',
        location: 'REEF',
        name: 'Surfing Round 1',
        start: '2024-07-27T07:00',
        end: '2024-07-27T17:00',
      },
    ],
    units: [
      {
        rsc: M100_HEAT1,
        name: "Men's 100m Heat 1",
        session: 'ATH01',
        location: 'TRACK',
        start: '2024-08-02T10:05',
        end: '2024-08-02T10:11',
      },
      {
        rsc: M100_HEAT2,
        name: "Men's 100m Heat 2",
        session: 'ATH01',
        location: 'TRACK',
        start: '2024-08-02T10:15',
        end: '2024-08-02T10:21',
      },
      {
        rsc: M100_SF1,
        name: "Men's 100m Semi-final 1",
        session: 'ATH02',
        location: 'TRACK',
        start: '2024-08-04T19:50',
        end: '2024-08-04T19:58',
      },
      {
        rsc: M100_FINAL,
        name: "Men's 100m Final",
        session: 'ATH02',
        location: 'TRACK',
        start: '2024-08-04T21:50',
        end: '2024-08-04T22:00',
        medal: true,
      },
      {
        rsc: SRF_HEAT1,
        name: "Men's Shortboard Heat 1",
        session: 'SRF01',
        start: '2024-07-27T08:00',
        end: '2024-07-27T08:30',
      },
      { rsc: SRF_FINAL, name: "Men's Shortboard Final", venue: 'TEA', location: 'REEF', medal: true },
    ],
  };
}
