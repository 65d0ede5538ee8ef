/**
 * The emulator's world: one home tenant with its directory and app registrations, and optionally other
 * organisations' directories (`otherTenants`) whose people sign in to the home tenant's multi-tenant
 * apps. A seed is plain data, so
 * tests can build their own (or spread `contosoSeed` and change a few fields).
 * Object ids are GUIDs, as in Entra; members, owners and assignments refer to objects by id.
 */
export interface Seed {
  tenant: SeedTenant;
  users: SeedUser[];
  groups: SeedGroup[];
  applications: SeedApplication[];
  /** SharePoint sites (each with a document library in `drives`); none when left out. */
  sites?: SeedSite[];
  /** Document libraries of sites and users' OneDrives, with their folders and files. */
  drives?: SeedDrive[];
  /**
   * Other organisations (Entra tenants) with their own users and groups: they sign in to the home
   * tenant's multi-tenant apps (`AzureADMultipleOrgs`) and get tokens from their own tenant. Their
   * groups hold only their own people. App registrations, sites and drives belong to `tenant`.
   */
  otherTenants?: SeedOtherTenant[];
}

/** Another organisation's directory: who signs in from it, and its groups. */
export interface SeedOtherTenant {
  tenant: SeedTenant;
  users: SeedUser[];
  groups: SeedGroup[];
}

export interface SeedTenant {
  /** The tenant id (`tid`), a GUID. */
  id: string;
  displayName: string;
  /** Names accepted in place of the id in URLs (`/contoso/v2.0/...`), such as verified domains. */
  aliases: string[];
}

export interface SeedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  jobTitle?: string;
  department?: string;
  companyName?: string;
  officeLocation?: string;
  mobilePhone?: string;
  businessPhones?: string[];
  preferredLanguage?: string;
  /** `Member` (default) or `Guest`. */
  userType?: 'Member' | 'Guest';
  accountEnabled?: boolean;
  /** Every demo user's password is `Passw0rd!`; a seed may set another one per user. */
  password: string;
  /** Directory role template ids (the `wids` claim), besides the default "User" role every member has. */
  directoryRoles?: string[];
  /** Background colour of the generated profile photo; a user without one has no photo (Graph 404). */
  photoColor?: string;
}

export interface SeedGroup {
  id: string;
  displayName: string;
  description?: string;
  mailNickname: string;
  mail?: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** `['Unified']` for a Microsoft 365 group, `[]` for a security or distribution group. */
  groupTypes: string[];
  visibility?: 'Public' | 'Private';
  /** Direct members: user ids and group ids (nesting). */
  members: string[];
  /** Owners: user ids. */
  owners: string[];
}

export interface SeedAppRole {
  id: string;
  /** The value that appears in the `roles` claim, e.g. `Gatehouse.User`. */
  value: string;
  displayName: string;
  description?: string;
}

export interface SeedAppRoleAssignment {
  /** A user id or a group id (group assignment reaches the group's direct members, as in Entra). */
  principalId: string;
  /** The app role's `value`. */
  role: string;
}

export interface SeedApplication {
  clientId: string;
  displayName: string;
  /** Client secrets; empty for a public client (which must then use PKCE). */
  secrets: string[];
  /** A secret's end date (ISO 8601), by secret: after it Entra answers AADSTS7000222. */
  secretEndDates?: Record<string, string>;
  /**
   * Certificates (PEM) under "Certificates & secrets → Certificates": a client assertion signed with
   * one of their keys and naming it by `x5t#S256` (or `x5t`) authenticates the app.
   */
  certificates?: string[];
  /** Redirect URIs of the Web platform, matched exactly. */
  redirectUris: string[];
  /** Front-channel logout URL, called with `?sid=` when the user signs out of the emulator. */
  frontChannelLogoutUrl?: string;
  /** `AzureADMyOrg` (single tenant: `/common` and `/organizations` are refused) or `AzureADMultipleOrgs`. */
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  /** The manifest's `groupMembershipClaims`. */
  groupMembershipClaims: 'None' | 'SecurityGroup' | 'All' | 'ApplicationGroup';
  /** Optional ID-token claims turned on (Entra only sends `sid`, `login_hint`, `email` when asked to). */
  optionalClaims: Array<'sid' | 'login_hint' | 'email'>;
  appRoles: SeedAppRole[];
  appRoleAssignments: SeedAppRoleAssignment[];
  /** "User assignment required?": users without an assignment are refused with AADSTS50105. */
  appRoleAssignmentRequired?: boolean;
  /** Scopes this app exposes under `api://<clientId>/` (e.g. `access_as_user`). */
  exposedScopes: string[];
  /**
   * Admin-consented delegated permissions, per resource: `graph`, `sharepoint`, or another app's
   * client id (own API: this app's client id). A scope outside this list needs the user's consent.
   */
  consentedScopes: Record<string, string[]>;
  /**
   * Admin-consented application permissions (app roles of a resource, here only `graph`), for the
   * client credentials grant: they become the `roles` of an app-only token.
   */
  applicationPermissions?: Record<string, string[]>;
}

export interface SeedSite {
  /** The site collection id, a GUID (Graph's site id is `{hostname},{id},{webId}`). */
  id: string;
  /** The web id, a GUID. */
  webId: string;
  /** Server-relative path: `/` for the root site, `/sites/marketing` for a group site. */
  path: string;
  displayName: string;
  description?: string;
  /** The Microsoft 365 group behind the site: its members (transitively) and owners may read it. */
  groupId?: string;
  /** A user's personal site (`/personal/…`, holding their OneDrive): only that user may read it. */
  ownerId?: string;
  /* With neither, everyone in the tenant may read the site. */
}

export interface SeedDrive {
  /** Graph's drive id (`b!…`). */
  id: string;
  /** The document library's list id, a GUID. */
  listId: string;
  /** `Documents` for a library, `OneDrive` for a user's drive (as Graph names them). */
  name: string;
  /** The site it belongs to; a personal site's drive is its owner's OneDrive. */
  siteId: string;
  /** Id of the root folder. */
  rootId: string;
  items: SeedDriveItem[];
}

export interface SeedDriveItem {
  /** Graph's item id (34 characters, `01…`). */
  id: string;
  name: string;
  /** The folder it is in; the drive's root when left out. */
  parentId?: string;
  /** A file's bytes (generated on demand); a folder has none. */
  content?: SeedContent;
  /**
   * Only these users and groups (members transitively) may read the item and what is under it; left
   * out, the item inherits its folder's readers (the drive's at the top).
   */
  readers?: string[];
  /** User id of the author. */
  createdBy: string;
  /** ISO 8601. */
  lastModifiedDateTime: string;
}

/** How a file's bytes are generated: small documents of each type, or a large deterministic pattern. */
export type SeedContent =
  | { kind: 'text'; text: string; mimeType?: string }
  | { kind: 'pdf'; title: string; lines: string[] }
  | { kind: 'png'; width: number; height: number; color: string }
  | { kind: 'jpeg'; width: number; height: number }
  | { kind: 'docx'; paragraphs: string[] }
  | { kind: 'xlsx'; rows: Array<Array<string | number>> }
  | { kind: 'pptx'; slides: string[] }
  /** `size` bytes of a fast pseudo-random pattern seeded by `seed`, streamed, never held whole. */
  | { kind: 'pattern'; size: number; seed: string; mimeType: string };
