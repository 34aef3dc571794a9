// Generates demo-og2024.json, the demo data pack of a Paris-like edition (format podium.datapack/v1,
// see docs/data-pack.md). RSCs are computed from their parts, never typed by hand.
//   node apps/schedules/data/generate-demo-og2024.mjs > apps/schedules/data/demo-og2024.json
// The pack must parse with zero rejected rows (apps/schedules/src/domain/demo-pack.spec.ts).

/** discipline(3) + gender(1) + eventType(8) + eventModifier(10) + phase(4) + unit(8), '-' as filler. */
function rsc(discipline, gender, eventType, phase = '', unit = '') {
  const field = (value, length) => {
    if (value.length > length) throw new Error(`RSC part ${value} longer than ${length}`);
    return value.padEnd(length, '-');
  };
  const code =
    field(discipline, 3) +
    field(gender, 1) +
    field(eventType, 8) +
    field('', 10) +
    field(phase, 4) +
    field(unit, 8);
  if (code.length !== 34) throw new Error(`bad RSC ${code}`);
  return code;
}

/** Naive wall-clock arithmetic on 'YYYY-MM-DDTHH:mm' (no zone involved). */
function at(localDateTime, plusMinutes = 0) {
  const d = new Date(`${localDateTime}:00Z`);
  d.setUTCMinutes(d.getUTCMinutes() + plusMinutes);
  return d.toISOString().slice(0, 16);
}

const events = [];
const phases = [];
const units = [];

function event(discipline, gender, eventType, name) {
  events.push({ rsc: rsc(discipline, gender, eventType), name, gender, medal: true });
  return { discipline, gender, eventType, name };
}

function phase(ev, code, name, order) {
  phases.push({ rsc: rsc(ev.discipline, ev.gender, ev.eventType, code), name, order });
  return { ...ev, phase: code, phaseName: name };
}

/** Adds unit n of a phase ('000100' for n=1) at `start` for `minutes`; `extra` may set session, location, medal. */
function unit(ph, n, name, start, minutes, extra = {}) {
  const code = String(n * 100).padStart(6, '0');
  const row = { rsc: rsc(ph.discipline, ph.gender, ph.eventType, ph.phase, code), name, ...extra };
  if (start) {
    row.start = start;
    row.end = at(start, minutes);
  }
  units.push(row);
}

/** `count` consecutive units, every `every` minutes, each `minutes` long. */
function series(ph, count, label, first, every, minutes, extra = {}) {
  for (let n = 1; n <= count; n++) {
    unit(ph, n, `${ph.name} ${label} ${n}`, at(first, (n - 1) * every), minutes, extra);
  }
}

const sessions = [];
function session(code, venue, name, start, end, location) {
  sessions.push({ code, venue, ...(location ? { location } : {}), name, start, end });
}

// --- Athletics (Stade de France): sessions cover the whole stadium, units name their area. ---
session('ATH01', 'STA', 'Athletics - Morning Session 1', '2024-08-02T10:00', '2024-08-02T13:30');
session('ATH02', 'STA', 'Athletics - Evening Session 1', '2024-08-02T19:00', '2024-08-02T22:30');
session('ATH03', 'STA', 'Athletics - Evening Session 2', '2024-08-03T19:00', '2024-08-03T22:30');
session('ATH04', 'STA', 'Athletics - Evening Session 3', '2024-08-04T19:00', '2024-08-04T22:30');

const m100 = event('ATH', 'M', '100M', "Men's 100m");
const m100r1 = phase(m100, 'HEAT', 'Round 1', 1);
const m100sf = phase(m100, 'SFNL', 'Semi-final', 2);
const m100f = phase(m100, 'FNL', 'Final', 3);
series(m100r1, 6, 'Round 1 - Heat', '2024-08-02T10:05', 8, 6, { session: 'ATH01', location: 'TRACK' });
series(m100sf, 3, 'Semi-final', '2024-08-03T19:50', 10, 8, { session: 'ATH03', location: 'TRACK' });
unit(m100f, 1, "Men's 100m Final", '2024-08-04T21:50', 10, {
  session: 'ATH04',
  location: 'TRACK',
  medal: true,
});

const w100 = event('ATH', 'W', '100M', "Women's 100m");
const w100r1 = phase(w100, 'HEAT', 'Round 1', 1);
const w100sf = phase(w100, 'SFNL', 'Semi-final', 2);
const w100f = phase(w100, 'FNL', 'Final', 3);
series(w100r1, 4, 'Round 1 - Heat', '2024-08-02T19:05', 8, 6, { session: 'ATH02', location: 'TRACK' });
series(w100sf, 2, 'Semi-final', '2024-08-03T20:30', 10, 8, { session: 'ATH03', location: 'TRACK' });
unit(w100f, 1, "Women's 100m Final", '2024-08-04T21:20', 10, {
  session: 'ATH04',
  location: 'TRACK',
  medal: true,
});

const mhj = event('ATH', 'M', 'HIGHJUMP', "Men's High Jump");
const mhjq = phase(mhj, 'QUAL', 'Qualification', 1);
const mhjf = phase(mhj, 'FNL', 'Final', 2);
unit(mhjq, 1, "Men's High Jump Qualification - Group A", '2024-08-02T10:00', 150, {
  session: 'ATH01',
  location: 'JUMPS-N',
});
unit(mhjq, 2, "Men's High Jump Qualification - Group B", '2024-08-02T10:00', 150, {
  session: 'ATH01',
  location: 'JUMPS-S',
});
unit(mhjf, 1, "Men's High Jump Final", '2024-08-03T19:10', 150, {
  session: 'ATH03',
  location: 'JUMPS-N',
  medal: true,
});

const wjt = event('ATH', 'W', 'JAVELIN', "Women's Javelin Throw");
const wjtq = phase(wjt, 'QUAL', 'Qualification', 1);
const wjtf = phase(wjt, 'FNL', 'Final', 2);
unit(wjtq, 1, "Women's Javelin Throw Qualification - Group A", '2024-08-02T10:10', 80, {
  session: 'ATH01',
  location: 'THROWS',
});
unit(wjtq, 2, "Women's Javelin Throw Qualification - Group B", '2024-08-02T11:45', 80, {
  session: 'ATH01',
  location: 'THROWS',
});
unit(wjtf, 1, "Women's Javelin Throw Final", '2024-08-03T20:00', 120, {
  session: 'ATH03',
  location: 'THROWS',
  medal: true,
});

const x4x400 = event('ATH', 'X', '4X400M', '4 x 400m Relay Mixed');
const x4x400r1 = phase(x4x400, 'HEAT', 'Round 1', 1);
const x4x400f = phase(x4x400, 'FNL', 'Final', 2);
series(x4x400r1, 2, 'Round 1 - Heat', '2024-08-02T11:10', 15, 10, { session: 'ATH01', location: 'TRACK' });
unit(x4x400f, 1, '4 x 400m Relay Mixed Final', '2024-08-02T21:55', 15, {
  session: 'ATH02',
  location: 'TRACK',
  medal: true,
});

// --- Swimming (Paris La Defense Arena, one pool). ---
session('SWM01', 'LDA', 'Swimming - Heats 1', '2024-07-27T11:00', '2024-07-27T13:00', 'POOL');
session('SWM02', 'LDA', 'Swimming - Finals 1', '2024-07-27T20:30', '2024-07-27T22:30', 'POOL');
session('SWM03', 'LDA', 'Swimming - Heats 2', '2024-07-29T11:00', '2024-07-29T13:00', 'POOL');
session('SWM04', 'LDA', 'Swimming - Finals 2', '2024-07-29T20:30', '2024-07-29T22:30', 'POOL');
session('SWM05', 'LDA', 'Swimming - Heats 3', '2024-07-30T11:00', '2024-07-30T13:00', 'POOL');
session('SWM06', 'LDA', 'Swimming - Finals 3', '2024-07-30T20:30', '2024-07-30T22:30', 'POOL');
session('SWM07', 'LDA', 'Swimming - Finals 4', '2024-07-31T20:30', '2024-07-31T22:30', 'POOL');

const w400fr = event('SWM', 'W', '400MFREE', "Women's 400m Freestyle");
const w400frh = phase(w400fr, 'HEAT', 'Heats', 1);
const w400frf = phase(w400fr, 'FNL', 'Final', 2);
series(w400frh, 3, 'Heat', '2024-07-27T11:00', 9, 7, { session: 'SWM01' });
unit(w400frf, 1, "Women's 400m Freestyle Final", '2024-07-27T20:30', 10, { session: 'SWM02', medal: true });

const m100fr = event('SWM', 'M', '100MFREE', "Men's 100m Freestyle");
const m100frh = phase(m100fr, 'HEAT', 'Heats', 1);
const m100frsf = phase(m100fr, 'SFNL', 'Semi-finals', 2);
const m100frf = phase(m100fr, 'FNL', 'Final', 3);
series(m100frh, 4, 'Heat', '2024-07-29T11:00', 5, 4, { session: 'SWM03' });
series(m100frsf, 2, 'Semi-final', '2024-07-29T20:30', 6, 4, { session: 'SWM04' });
unit(m100frf, 1, "Men's 100m Freestyle Final", '2024-07-30T20:30', 5, { session: 'SWM06', medal: true });

const w200im = event('SWM', 'W', '200MIM', "Women's 200m Individual Medley");
const w200imh = phase(w200im, 'HEAT', 'Heats', 1);
const w200imsf = phase(w200im, 'SFNL', 'Semi-finals', 2);
const w200imf = phase(w200im, 'FNL', 'Final', 3);
series(w200imh, 3, 'Heat', '2024-07-30T11:00', 6, 5, { session: 'SWM05' });
series(w200imsf, 2, 'Semi-final', '2024-07-30T20:45', 7, 5, { session: 'SWM06' });
unit(w200imf, 1, "Women's 200m Individual Medley Final", '2024-07-31T20:40', 10, {
  session: 'SWM07',
  medal: true,
});

// --- Judo (Champ-de-Mars Arena): eliminations on two mats, the final block on mat 1. ---
session('JUD01', 'CDM', 'Judo - Elimination Rounds', '2024-07-27T10:00', '2024-07-27T14:00');
session('JUD02', 'CDM', 'Judo - Final Block', '2024-07-27T16:00', '2024-07-27T18:30', 'MAT1');

function judo(gender, eventType, name, mat, finalBlockStart) {
  const ev = event('JUD', gender, eventType, name);
  const qf = phase(ev, 'QFNL', 'Quarterfinals', 1);
  const rep = phase(ev, 'RPCH', 'Repechage', 2);
  const sf = phase(ev, 'SFNL', 'Semifinals', 2);
  const bronze = phase(ev, 'BRNZ', 'Contests for Bronze Medal', 3);
  const final = phase(ev, 'FNL', 'Final', 3);
  series(qf, 4, 'Quarterfinal', '2024-07-27T10:00', 10, 8, { session: 'JUD01', location: mat });
  series(rep, 2, 'Repechage', '2024-07-27T12:00', 10, 8, { session: 'JUD01', location: mat });
  series(sf, 2, 'Semifinal', '2024-07-27T12:40', 10, 8, { session: 'JUD01', location: mat });
  series(bronze, 2, 'Contest for Bronze Medal', finalBlockStart, 10, 8, { session: 'JUD02', medal: true });
  unit(final, 1, `${name} Final`, at(finalBlockStart, 45), 8, { session: 'JUD02', medal: true });
}
judo('W', '48KG', 'Women -48 kg', 'MAT1', '2024-07-27T16:00');
judo('M', '60KG', 'Men -60 kg', 'MAT2', '2024-07-27T16:20');

// --- Basketball: group phase in Lille (Pierre Mauroy Stadium), final phase at Bercy Arena. ---
const bkb = event('BKB', 'M', 'TEAM5', "Men's Tournament");
const groupA = phase(bkb, 'GPA', 'Group Phase - Group A', 1);
const groupB = phase(bkb, 'GPB', 'Group Phase - Group B', 1);
const bkbqf = phase(bkb, 'QFNL', 'Quarterfinals', 2);
const bkbsf = phase(bkb, 'SFNL', 'Semifinals', 3);
const bkbf = phase(bkb, 'FNL', 'Medal Games', 4);
const game = 105; // minutes
[
  ['BKB01', '2024-07-27', 'T11:00', 'T15:15'],
  ['BKB02', '2024-07-27', 'T17:15', 'T21:30'],
  ['BKB03', '2024-07-28', 'T11:00', 'T15:15'],
  ['BKB04', '2024-07-28', 'T17:15', 'T21:30'],
].forEach(([code, day, start, end], i) => {
  session(code, 'PMS', `Basketball - Men's Group Phase ${i + 1}`, day + start, day + end, 'COURT');
  unit(groupA, i + 1, `Men's Group A Game ${i + 1}`, day + start, game, { session: code });
  unit(groupB, i + 1, `Men's Group B Game ${i + 1}`, at(day + start, 150), game, { session: code });
});
session(
  'BKB05',
  'BER',
  "Basketball - Men's Quarterfinals 1",
  '2024-08-06T11:00',
  '2024-08-06T15:15',
  'COURT',
);
session(
  'BKB06',
  'BER',
  "Basketball - Men's Quarterfinals 2",
  '2024-08-06T17:15',
  '2024-08-06T21:30',
  'COURT',
);
session('BKB07', 'BER', "Basketball - Men's Semifinals", '2024-08-08T17:15', '2024-08-08T21:30', 'COURT');
session(
  'BKB08',
  'BER',
  "Basketball - Men's Bronze Medal Game",
  '2024-08-10T11:00',
  '2024-08-10T13:15',
  'COURT',
);
session(
  'BKB09',
  'BER',
  "Basketball - Men's Gold Medal Game",
  '2024-08-10T21:30',
  '2024-08-10T23:45',
  'COURT',
);
unit(bkbqf, 1, "Men's Quarterfinal 1", '2024-08-06T11:00', game, { session: 'BKB05' });
unit(bkbqf, 2, "Men's Quarterfinal 2", '2024-08-06T13:30', game, { session: 'BKB05' });
unit(bkbqf, 3, "Men's Quarterfinal 3", '2024-08-06T17:15', game, { session: 'BKB06' });
unit(bkbqf, 4, "Men's Quarterfinal 4", '2024-08-06T19:45', game, { session: 'BKB06' });
unit(bkbsf, 1, "Men's Semifinal 1", '2024-08-08T17:15', game, { session: 'BKB07' });
unit(bkbsf, 2, "Men's Semifinal 2", '2024-08-08T19:45', game, { session: 'BKB07' });
unit(bkbf, 1, "Men's Bronze Medal Game", '2024-08-10T11:00', game, { session: 'BKB08', medal: true });
unit(bkbf, 2, "Men's Gold Medal Game", '2024-08-10T21:30', game, { session: 'BKB09', medal: true });

// --- Surfing (Teahupo'o, Tahiti: another time zone). The medal heats wait for the swell: UNSCHEDULED. ---
session('SRF01', 'TEA', 'Surfing - Round 1', '2024-07-27T07:00', '2024-07-27T17:00', 'REEF');
session(
  'SRF02',
  'TEA',
  'Surfing - Quarterfinals and Semifinals',
  '2024-07-29T07:00',
  '2024-07-29T17:00',
  'REEF',
);
const srf = event('SRF', 'M', 'SHORTBRD', "Men's Shortboard");
const srfr1 = phase(srf, 'RND1', 'Round 1', 1);
const srfqf = phase(srf, 'QFNL', 'Quarterfinals', 2);
const srfsf = phase(srf, 'SFNL', 'Semifinals', 3);
const srfbr = phase(srf, 'BRNZ', 'Bronze Medal Match', 4);
const srff = phase(srf, 'FNL', 'Gold Medal Match', 4);
series(srfr1, 4, 'Round 1 - Heat', '2024-07-27T08:00', 35, 30, { session: 'SRF01' });
series(srfqf, 4, 'Quarterfinal - Heat', '2024-07-29T08:00', 35, 30, { session: 'SRF02' });
series(srfsf, 2, 'Semifinal - Heat', '2024-07-29T13:00', 35, 30, { session: 'SRF02' });
unit(srfbr, 1, "Men's Shortboard Bronze Medal Match", null, 0, {
  venue: 'TEA',
  location: 'REEF',
  medal: true,
});
unit(srff, 1, "Men's Shortboard Gold Medal Match", null, 0, { venue: 'TEA', location: 'REEF', medal: true });

const pack = {
  format: 'podium.datapack/v1',
  edition: {
    code: 'OG2024',
    name: 'Olympic Games Paris 2024 (demo)',
    kind: 'OG',
    timeZone: 'Europe/Paris',
    locale: 'fr-FR',
    logicalDayEnd: '03:00',
    startDate: '2024-07-24',
    endDate: '2024-08-11',
  },
  sports: [
    { code: 'ATH', name: 'Athletics' },
    { code: 'AQU', name: 'Aquatics' },
    { code: 'JUD', name: 'Judo' },
    { code: 'BKB', name: 'Basketball' },
    { code: 'SRF', name: 'Surfing' },
  ],
  disciplines: [
    { code: 'ATH', sport: 'ATH', name: 'Athletics' },
    { code: 'SWM', sport: 'AQU', name: 'Swimming' },
    { code: 'JUD', sport: 'JUD', name: 'Judo' },
    { code: 'BKB', sport: 'BKB', name: 'Basketball' },
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
        { code: 'JUMPS-N', name: 'Jumps Area North' },
        { code: 'JUMPS-S', name: 'Jumps Area South' },
        { code: 'THROWS', name: 'Throws Area' },
      ],
    },
    {
      code: 'LDA',
      name: 'Paris La Defense Arena',
      timeZone: 'Europe/Paris',
      openingDays: { from: '2024-07-27', to: '2024-08-04' },
      locations: [{ code: 'POOL', name: 'Competition Pool' }],
    },
    {
      code: 'CDM',
      name: 'Champ-de-Mars Arena',
      timeZone: 'Europe/Paris',
      openingDays: { from: '2024-07-27', to: '2024-08-03' },
      locations: [
        { code: 'MAT1', name: 'Mat 1' },
        { code: 'MAT2', name: 'Mat 2' },
      ],
    },
    {
      code: 'PMS',
      name: 'Pierre Mauroy Stadium (Lille)',
      timeZone: 'Europe/Paris',
      openingDays: { from: '2024-07-27', to: '2024-08-05' },
      locations: [{ code: 'COURT', name: 'Main Court' }],
    },
    {
      code: 'BER',
      name: 'Bercy Arena',
      timeZone: 'Europe/Paris',
      openingDays: { from: '2024-07-27', to: '2024-08-11' },
      locations: [{ code: 'COURT', name: 'Main Court' }],
    },
    {
      code: 'TEA',
      name: "Teahupo'o (Tahiti)",
      timeZone: 'Pacific/Tahiti',
      openingDays: { from: '2024-07-27', to: '2024-08-04' },
      locations: [{ code: 'REEF', name: "Teahupo'o Reef" }],
    },
  ],
  events,
  phases,
  sessions,
  units,
};

process.stdout.write(`${JSON.stringify(pack, null, 2)}\n`);
