import { nameGuid } from '../util/ids';
import type { SeedGroup, SeedOtherTenant, SeedUser } from './types';

/**
 * A second organisation for multi-tenant sign-in: Fabrikam, three people and one group. Its people
 * sign in to Contoso's app registration only when that app is multi-tenant (`AzureADMultipleOrgs`),
 * and then get tokens from Fabrikam's tenant (`iss` `…/{FABRIKAM_TENANT_ID}/v2.0`, `tid` Fabrikam's).
 */
export const FABRIKAM_TENANT_ID = '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21';
/** Fabrikam's people share their own password (not Contoso's), so a mix-up shows. */
export const FABRIKAM_PASSWORD = 'Fabr1kam!';

const domain = 'fabrikam.onmicrosoft.com';
const userId = (alias: string) => nameGuid(`user:${alias}@${domain}`);

const people: Array<[alias: string, given: string, surname: string, jobTitle: string, color?: string]> = [
  ['ravi', 'Ravi', 'Kumar', 'Operations Lead', '#107c10'],
  ['sofia', 'Sofia', 'Marin', 'Buyer', '#5c2e91'],
  ['tomas', 'Tomas', 'Novak', 'Engineer'],
];

const users: SeedUser[] = people.map(([alias, given, surname, jobTitle, color]) => ({
  id: userId(alias),
  userPrincipalName: `${alias}@${domain}`,
  displayName: `${given} ${surname}`,
  givenName: given,
  surname,
  mail: `${alias}@${domain}`,
  jobTitle,
  companyName: 'Fabrikam',
  preferredLanguage: 'en-GB',
  userType: 'Member',
  accountEnabled: true,
  password: FABRIKAM_PASSWORD,
  ...(color ? { photoColor: color } : {}),
}));

const groups: SeedGroup[] = [
  {
    id: nameGuid('group:fabrikam-staff'),
    displayName: 'Fabrikam Staff',
    description: 'Everyone at Fabrikam',
    mailNickname: 'fabrikam-staff',
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    members: users.map((u) => u.id),
    owners: [userId('ravi')],
  },
];

export const fabrikamTenant: SeedOtherTenant = {
  // Only the verified domain as alias, as in Entra (a bare "fabrikam" stays an unknown tenant).
  tenant: { id: FABRIKAM_TENANT_ID, displayName: 'Fabrikam', aliases: [domain] },
  users,
  groups,
};
