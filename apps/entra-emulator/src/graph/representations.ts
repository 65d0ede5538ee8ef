import type { SeedGroup, SeedUser } from '../seed/types';

/** A directory object as Graph returns it: every property, in Graph's order, before `$select`. */
export type GraphObject = Record<string, unknown>;

const CREATED = '2024-03-01T08:00:00Z';

/** Properties `/users` returns without `$select`. */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export function userObject(user: SeedUser): GraphObject {
  return {
    businessPhones: user.businessPhones ?? [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail ?? null,
    mobilePhone: user.mobilePhone ?? null,
    officeLocation: user.officeLocation ?? null,
    preferredLanguage: user.preferredLanguage ?? null,
    surname: user.surname ?? null,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: user.accountEnabled ?? true,
    companyName: user.companyName ?? null,
    createdDateTime: CREATED,
    department: user.department ?? null,
    employeeId: null,
    mailNickname: user.userPrincipalName.split('@')[0],
    otherMails: [],
    proxyAddresses: user.mail ? [`SMTP:${user.mail}`] : [],
    usageLocation: 'US',
    userType: user.userType ?? 'Member',
  };
}

/** Properties `/groups` returns without `$select`. */
export const GROUP_DEFAULT_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'creationOptions',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
];

export function groupObject(group: SeedGroup): GraphObject {
  const unified = group.groupTypes.includes('Unified');
  return {
    id: group.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: CREATED,
    creationOptions: [],
    description: group.description ?? null,
    displayName: group.displayName,
    expirationDateTime: null,
    groupTypes: group.groupTypes,
    isAssignableToRole: null,
    mail: group.mail ?? null,
    mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: group.mail ? [`SMTP:${group.mail}`] : [],
    renewedDateTime: CREATED,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: unified ? ['Team'] : [],
    securityEnabled: group.securityEnabled,
    securityIdentifier: `S-1-12-1-${parseInt(group.id.slice(0, 8), 16)}-${parseInt(group.id.slice(9, 13), 16)}`,
    theme: null,
    visibility: group.visibility ?? (unified ? 'Public' : null),
  };
}

export const USER_PROPERTIES = Object.keys(
  userObject({ id: '', userPrincipalName: 'x@y', displayName: '', password: '' }),
);
export const GROUP_PROPERTIES = GROUP_DEFAULT_PROPERTIES;

export function isUser(o: SeedUser | SeedGroup): o is SeedUser {
  return 'userPrincipalName' in o;
}
