/** The short code of an event for messages: its RSC without the trailing '-', e.g. 'ATHM100M'. */
export function eventLabel(rsc: string): string {
  return rsc.replace(/-+$/, '');
}

/** 'Abdul Hakim SANI BROWN' (given name, then family name in capitals). */
export function personLabel(person: { givenName: string; familyName: string }): string {
  const family = person.familyName.toUpperCase();
  return person.givenName ? `${person.givenName} ${family}` : family;
}

/** ODF print name: 'SANI BROWN Abdul Hakim'. */
export function printName(person: { givenName: string; familyName: string }): string {
  const family = person.familyName.toUpperCase();
  return person.givenName ? `${family} ${person.givenName}` : family;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
