/** Builds an RSC from its parts, '-' filled: discipline(3) gender(1) eventType(8) modifier(10) phase(4) unit(8). */
export function rsc(discipline: string, gender: string, eventType: string, phase = '', unit = ''): string {
  const field = (value: string, length: number): string => {
    if (value.length > length) throw new Error(`RSC part '${value}' is longer than ${length}`);
    return value.padEnd(length, '-');
  };
  return (
    field(discipline, 3) +
    field(gender, 1) +
    field(eventType, 8) +
    field('', 10) +
    field(phase, 4) +
    field(unit, 8)
  );
}

/** Unit number n as an RSC unit part: 1 -> '000100'. */
export const unitNo = (n: number): string => String(n * 100).padStart(6, '0');
