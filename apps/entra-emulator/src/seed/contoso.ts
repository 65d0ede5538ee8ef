import { nameGuid } from '../util/ids';
import { contosoSharePoint } from './contoso-drives';
import { fabrikamTenant } from './fabrikam';
import type { Seed, SeedGroup, SeedUser } from './types';

/**
 * The demo tenant of the BRIEF: Contoso, 32 people, a handful of groups (one nested, two sharing the
 * display name Support), the Gatehouse app
 * registration, and Megan Bowen in 250 groups so that her ID token takes the groups-overage form.
 */
export const CONTOSO_TENANT_ID = '8c25abde-3c6d-4ca1-8ffc-69c01267db6e';
export const GATEHOUSE_CLIENT_ID = '37f430eb-fc34-4aab-92b8-01a54ce1b692';
export const GATEHOUSE_CLIENT_SECRET = 'gatehouse-dev-secret';
export const GATEHOUSE_REDIRECT_URI = 'http://localhost:3080/oauth/openid/callback';
export const DEMO_PASSWORD = 'Passw0rd!';
/** The template id of Entra's built-in "User" directory role, present in every member's `wids`. */
export const DEFAULT_USER_ROLE_TEMPLATE_ID = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
/** Template id of the "Global Reader" directory role. */
const GLOBAL_READER_TEMPLATE_ID = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

const domain = 'contoso.test';

type Person = [
  alias: string,
  given: string,
  surname: string,
  jobTitle: string,
  department: string,
  office: string,
];

// Alias first: the UPN is `<alias>@contoso.test`. Adele, Alex and Megan come first (pnpm dev prints them).
const people: Person[] = [
  ['adele', 'Adele', 'Vance', 'Retail Manager', 'Marketing', '18/2111'],
  ['alex', 'Alex', 'Wilber', 'Marketing Assistant', 'Sales', '131/1104'],
  ['megan', 'Megan', 'Bowen', 'Marketing Manager', 'Marketing', '12/1110'],
  ['allan', 'Allan', 'Deyoung', 'Corporate Security Officer', 'Operations', '24/1106'],
  ['christie', 'Christie', 'Cline', 'Buyer', 'Sales', '131/2105'],
  ['debra', 'Debra', 'Berger', 'Administrative Assistant', 'Executive Management', '18/2107'],
  ['diego', 'Diego', 'Siciliani', 'HR Manager', 'HR', '14/1108'],
  ['emily', 'Emily', 'Braun', 'Budget Analyst', 'Finance', '97/2302'],
  ['enrico', 'Enrico', 'Cattaneo', 'Attorney', 'Legal', '14/1102'],
  ['grady', 'Grady', 'Archie', 'Designer', 'Engineering', '19/2109'],
  ['henrietta', 'Henrietta', 'Mueller', 'Developer', 'Engineering', '18/1106'],
  ['irvin', 'Irvin', 'Sayers', 'Director', 'Engineering', '20/2107'],
  ['isaiah', 'Isaiah', 'Langer', 'Sales Rep', 'Sales', '20/1101'],
  ['johanna', 'Johanna', 'Lorenz', 'Senior Engineer', 'Engineering', '23/2102'],
  ['joni', 'Joni', 'Sherman', 'Paralegal', 'Legal', '20/1109'],
  ['lee', 'Lee', 'Gu', 'Director', 'Engineering', '23/3101'],
  ['lidia', 'Lidia', 'Holloway', 'Product Manager', 'Engineering', '20/2105'],
  ['lynne', 'Lynne', 'Robbins', 'Planner', 'Retail', '20/1104'],
  ['miriam', 'Miriam', 'Graham', 'Director', 'Sales & Marketing', '131/2103'],
  ['nestor', 'Nestor', 'Wilke', 'Director', 'Operations', '36/2121'],
  ['patti', 'Patti', 'Fernandez', 'President', 'Executive Management', '15/1102'],
  ['pradeep', 'Pradeep', 'Gupta', 'Accountant', 'Finance', '98/2202'],
  ['ben', 'Ben', 'Walters', 'Sales Associate', 'Sales', '131/1101'],
  ['cameron', 'Cameron', 'White', 'Support Engineer', 'Engineering', '19/1103'],
  ['delia', 'Delia', 'Dennis', 'Marketing Specialist', 'Marketing', '18/2112'],
  ['gerhart', 'Gerhart', 'Moller', 'Product Designer', 'Engineering', '19/2110'],
  ['raul', 'Raul', 'Razo', 'Legal Counsel', 'Legal', '14/1103'],
  ['sanjay', 'Sanjay', 'Shah', 'Data Scientist', 'Engineering', '23/2104'],
  ['carlos', 'Carlos', 'Slattery', 'Field Engineer', 'Operations', '36/1102'],
  ['vanessa', 'Vanessa', 'Dominguez', 'Recruiter', 'HR', '14/1110'],
  ['adam', 'Adam', 'Ledger', 'Controller', 'Finance', '98/2204'],
  ['ada', 'Ada', 'Lovelace-Byron', 'Principal Engineer', 'Engineering', '23/3104'],
];

const palette = ['#0f6cbd', '#8764b8', '#c239b3', '#e3008c', '#038387', '#498205', '#ca5010', '#986f0b'];

const userId = (alias: string) => nameGuid(`user:${alias}@${domain}`);
const groupId = (nickname: string) => nameGuid(`group:${nickname}`);

const users: SeedUser[] = people.map(([alias, given, surname, jobTitle, department, office], index) => ({
  id: userId(alias),
  userPrincipalName: `${alias}@${domain}`,
  displayName: `${given} ${surname}`,
  givenName: given,
  surname,
  mail: `${alias}@${domain}`,
  jobTitle,
  department,
  companyName: 'Contoso',
  officeLocation: office,
  businessPhones: [`+1 425 555 ${String(100 + index).padStart(4, '0')}`],
  ...(index % 3 === 0 ? { mobilePhone: `+1 206 555 ${String(200 + index).padStart(4, '0')}` } : {}),
  preferredLanguage: 'en-US',
  userType: 'Member',
  accountEnabled: true,
  password: DEMO_PASSWORD,
  ...(alias === 'patti' ? { directoryRoles: [GLOBAL_READER_TEMPLATE_ID] } : {}),
  // Every fifth person has no photo, so the "no photo" (404) path is exercised too.
  ...(index % 5 === 4 ? {} : { photoColor: palette[index % palette.length]! }),
}));

function group(
  nickname: string,
  displayName: string,
  options: Omit<SeedGroup, 'id' | 'displayName' | 'mailNickname' | 'members' | 'owners'> & {
    members: string[];
    owners?: string[];
  },
): SeedGroup {
  const resolve = (name: string) => (name.startsWith('group:') ? groupId(name.slice(6)) : userId(name));
  return {
    id: groupId(nickname),
    displayName,
    mailNickname: nickname,
    ...options,
    ...(options.mailEnabled ? { mail: `${nickname}@${domain}` } : {}),
    members: options.members.map(resolve),
    owners: (options.owners ?? []).map(resolve),
  };
}

const microsoft365 = { mailEnabled: true, securityEnabled: true, groupTypes: ['Unified'] };
const security = { mailEnabled: false, securityEnabled: true, groupTypes: [] as string[] };

const projectGroups: SeedGroup[] = Array.from({ length: 249 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return group(`project-${n}`, `Project ${n}`, {
    ...security,
    description: `Project team ${n}`,
    members: i % 50 === 0 ? ['megan', 'lidia'] : ['megan'],
    owners: ['megan'],
  });
});

const groups: SeedGroup[] = [
  group('marketing', 'Marketing', {
    ...microsoft365,
    description: 'Everyone in Marketing, worldwide',
    visibility: 'Public',
    members: ['adele', 'delia', 'miriam', 'group:marketing-eu'],
    owners: ['megan'],
  }),
  group('marketing-eu', 'Marketing EU', {
    ...security,
    description: 'Marketing team in the European Union',
    members: ['johanna', 'enrico', 'henrietta'],
    owners: ['megan'],
  }),
  group('engineering', 'Engineering', {
    ...microsoft365,
    description: 'Product engineering',
    visibility: 'Private',
    members: [
      'grady',
      'henrietta',
      'irvin',
      'johanna',
      'lee',
      'lidia',
      'cameron',
      'gerhart',
      'sanjay',
      'ada',
    ],
    owners: ['lee', 'irvin'],
  }),
  group('sales', 'Sales', {
    ...microsoft365,
    description: 'Sales team',
    visibility: 'Public',
    members: ['alex', 'christie', 'isaiah', 'ben'],
    owners: ['miriam'],
  }),
  group('allcompany', 'All Company', {
    ...microsoft365,
    description: 'This is the default group for everyone in the network',
    visibility: 'Public',
    members: people.map(([alias]) => alias),
    owners: ['patti'],
  }),
  // Two groups with one display name (as happens after a merger): a name alone cannot say which.
  group('support-emea', 'Support', {
    ...security,
    description: 'Support engineers, Europe, Middle East and Africa',
    members: ['cameron'],
    owners: ['nestor'],
  }),
  group('support-americas', 'Support', {
    ...security,
    description: 'Support engineers, the Americas',
    members: ['carlos'],
    owners: ['nestor'],
  }),
  ...projectGroups,
];

const sharePoint = contosoSharePoint({
  userId,
  groupId,
  people: people.map(([alias, given, surname], index) => ({
    alias,
    displayName: `${given} ${surname}`,
    color: palette[index % palette.length]!,
  })),
});

export const contosoSeed: Seed = {
  tenant: {
    id: CONTOSO_TENANT_ID,
    displayName: 'Contoso',
    aliases: ['contoso', domain, 'contoso.onmicrosoft.com'],
  },
  users,
  groups,
  applications: [
    {
      clientId: GATEHOUSE_CLIENT_ID,
      displayName: 'Gatehouse (dev)',
      secrets: [GATEHOUSE_CLIENT_SECRET],
      redirectUris: [GATEHOUSE_REDIRECT_URI, 'http://localhost:3080/', 'http://localhost:3080/login'],
      frontChannelLogoutUrl: 'http://localhost:3080/oauth/openid/frontchannel-logout',
      signInAudience: 'AzureADMyOrg',
      groupMembershipClaims: 'SecurityGroup',
      optionalClaims: ['sid', 'login_hint', 'email'],
      appRoles: [
        {
          id: nameGuid('app-role:Gatehouse.User'),
          value: 'Gatehouse.User',
          displayName: 'Gatehouse user',
          description: 'Can sign in to Gatehouse',
        },
        {
          id: nameGuid('app-role:Gatehouse.Admin'),
          value: 'Gatehouse.Admin',
          displayName: 'Gatehouse administrator',
          description: 'Administers Gatehouse',
        },
      ],
      appRoleAssignments: [
        { principalId: userId('adele'), role: 'Gatehouse.User' },
        { principalId: userId('megan'), role: 'Gatehouse.User' },
        { principalId: userId('patti'), role: 'Gatehouse.Admin' },
        // Group assignment: Engineering's direct members get the role (not members of nested groups).
        { principalId: groupId('engineering'), role: 'Gatehouse.User' },
      ],
      exposedScopes: ['access_as_user'],
      consentedScopes: {
        graph: [
          'User.Read',
          'User.ReadBasic.All',
          'GroupMember.Read.All',
          'People.Read',
          'Files.Read.All',
          'Sites.Read.All',
        ],
        sharepoint: ['AllSites.Read', 'MyFiles.Read'],
        [GATEHOUSE_CLIENT_ID]: ['access_as_user'],
      },
      // Resolving required group names at start (client credentials) needs to read groups.
      applicationPermissions: { graph: ['GroupMember.Read.All'] },
    },
  ],
  sites: sharePoint.sites,
  drives: sharePoint.drives,
  // Another organisation, for multi-tenant sign-in (the app above is single-tenant: spread it with
  // `signInAudience: 'AzureADMultipleOrgs'` to let Fabrikam's people in).
  otherTenants: [fabrikamTenant],
};
