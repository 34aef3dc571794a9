/** Age in whole years on `at` of a person born on `birthDate` (both 'YYYY-MM-DD'). */
export function ageOn(birthDate: string, at: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [ay = 0, am = 0, ad = 0] = at.split('-').map(Number);
  const birthdayPassed = am > bm || (am === bm && ad >= bd);
  return ay - by - (birthdayPassed ? 0 : 1);
}
