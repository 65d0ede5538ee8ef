/** What Gatehouse knows about Microsoft Entra's identifiers, used by rules that only apply to Entra. */

const entraLoginHosts = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

const graphHosts = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/** Microsoft Graph's application id: `00000003-…/User.Read` names a Graph scope too. */
const graphAppId = '00000003-0000-0000-c000-000000000000';

/** Entra's tenant-independent endpoints: whoever signs in, from any organisation. */
export const multiTenantSegments = ['common', 'organizations', 'consumers'] as const;

/** The scopes every OpenID provider understands; Entra never counts them as a resource. */
export const oidcScopes = ['openid', 'profile', 'email', 'offline_access', 'address', 'phone'] as const;

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return guidPattern.test(text);
}

export function isEntraIssuer(issuer: URL): boolean {
  return entraLoginHosts.has(issuer.hostname.toLowerCase());
}

/** The `{tenant}` of `https://login.microsoftonline.com/{tenant}/v2.0`. */
export function entraTenantSegment(issuer: URL): string | undefined {
  return issuer.pathname.split('/').filter(Boolean)[0];
}

export function isOidcScope(scope: string): boolean {
  return (oidcScopes as readonly string[]).includes(scope.toLowerCase());
}

/**
 * The resource a scope belongs to, as Entra reads it: `https://host/X` and `api://id/X` name theirs,
 * a bare `User.Read` means Microsoft Graph. `undefined` for the OpenID scopes.
 */
export function scopeResource(scope: string): string | undefined {
  if (isOidcScope(scope)) return undefined;
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]+|[0-9a-f-]{36})\/.+$/i.exec(scope);
  if (!match?.[1]) return 'graph';
  const resource = match[1].toLowerCase();
  if (resource === graphAppId) return 'graph';
  const host = resource.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  return graphHosts.has(host) ? 'graph' : resource;
}

/** `https://graph.microsoft.com/Files.Read.All` → `files.read.all`, for comparing Graph permissions. */
export function graphPermission(scope: string): string {
  return scope.replace(/^.*\//, '').toLowerCase();
}

export interface RequiredGroupsInput {
  /** OPENID_ISSUER. */
  issuer: string;
  /** GATEHOUSE_EMULATOR: the local emulator stands in for Entra. */
  emulator: boolean;
  /** OPENID_REQUIRED_ROLE_PARAMETER_PATH. */
  path: string | undefined;
  /** OPENID_REQUIRED_ROLE. */
  required: readonly string[];
}

/** Whether the required values are read from Entra's `groups` claim (object ids; names resolved). */
export function checksEntraGroups(input: Omit<RequiredGroupsInput, 'required'>): boolean {
  const issuer = URL.canParse(input.issuer) ? new URL(input.issuer) : undefined;
  const entra = input.emulator || (issuer !== undefined && isEntraIssuer(issuer));
  return entra && input.path?.split('.').pop() === 'groups';
}

/**
 * The OPENID_REQUIRED_ROLE values that name Entra groups by display name: read from the `groups`
 * claim of Entra (or the emulator), which holds object ids, and not a GUID themselves. Other
 * providers put names in their groups claim, so there every value is compared as written.
 */
export function requiredGroupNames(input: RequiredGroupsInput): string[] {
  return checksEntraGroups(input) ? input.required.filter((value) => !isGuid(value)) : [];
}
