import type { Principal, SearchResult } from '@gatehouse/contracts';

/** The demo tenant's people and groups as the BFF names them (ids match testing/data.ts sessions). */
export const principals = {
  megan: { type: 'user', source: 'local', id: 'u-megan', name: 'Megan Bowen', email: 'megan@contoso.test' },
  adele: { type: 'user', source: 'local', id: 'u-adele', name: 'Adele Vance', email: 'adele@contoso.test' },
  alexEntra: { type: 'user', source: 'entra', id: 'e-alex', name: 'Alex Wilber', email: 'alex@contoso.test' },
  meganEntra: {
    type: 'user',
    source: 'entra',
    id: 'e-megan',
    name: 'Megan Bowen',
    email: 'megan@contoso.test',
  },
  marketing: {
    type: 'group',
    source: 'entra',
    id: 'g-marketing',
    name: 'Marketing',
    email: 'marketing@contoso.test',
  },
  marketingEu: { type: 'group', source: 'entra', id: 'g-marketing-eu', name: 'Marketing EU', email: null },
} as const satisfies Record<string, Principal>;

/** A directory that search can find: two Megans (local and Entra), Alex, and the Marketing groups. */
export function demoDirectory(): SearchResult[] {
  return [
    { ...principals.megan },
    { ...principals.meganEntra },
    { ...principals.alexEntra },
    { ...principals.marketing, memberCount: 12 },
    { ...principals.marketingEu, memberCount: 3 },
  ];
}
