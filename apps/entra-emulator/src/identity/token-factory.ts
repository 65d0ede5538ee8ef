import type { Directory } from '../directory/directory';
import { DEFAULT_USER_ROLE_TEMPLATE_ID } from '../seed/contoso';
import type { SeedApplication, SeedUser } from '../seed/types';
import type { EmulatorSettings } from '../settings';
import { opaque, sha256 } from '../util/ids';
import type { KeyStore } from './keys';
import { formatScopes, graphResourceIn, type OidcScope, type Resource } from './resources';

/** Above this many groups a JWT carries the overage claims instead of `groups` (Entra's limit). */
export const GROUPS_OVERAGE_LIMIT = 200;
/** Entra's ID tokens live one hour. */
const ID_TOKEN_LIFETIME_S = 3600;

export interface IdTokenInput {
  app: SeedApplication;
  user: SeedUser;
  sessionId: string;
  authTime: number;
  oidc: ReadonlySet<OidcScope>;
  nonce?: string | undefined;
}

export interface AccessTokenInput {
  app: SeedApplication;
  user: SeedUser;
  sessionId: string;
  authTime: number;
  resource: Resource;
  scopes: readonly string[];
  /** Authentication contexts the sign-in met: the `acrs` claim. */
  acrs?: readonly string[];
  /** Client capabilities asked for at the token request: the `xms_cc` claim. */
  clientCapabilities?: readonly string[];
}

export interface TokenFactory {
  idToken(input: IdTokenInput): Promise<string>;
  accessToken(input: AccessTokenInput): Promise<{ token: string; expiresIn: number; scope: string }>;
  /** The opaque `login_hint` claim, accepted back as `logout_hint` and `login_hint`. */
  loginHint(user: SeedUser): string;
  parseLoginHint(hint: string): string | undefined;
  /** `sub`: pairwise per application, stable for a user and an app. */
  subject(userId: string, clientId: string): string;
  /** The v1.0 issuer (`https://sts.windows.net/{tid}/`) of a tenant; the home tenant's by default. */
  v1Issuer(tenantId?: string): string;
  /** The v2.0 issuer of a tenant (`{baseUrl}/{tid}/v2.0`); the home tenant's by default. */
  issuer(tenantId?: string): string;
}

/** Only what minting a token reads: the directory for claims, the keys to sign, and the time. */
export interface TokenFactoryDeps {
  directory: Pick<Directory, 'tenant' | 'tenantOf' | 'transitiveMemberOf' | 'appRolesOf'>;
  keys: Pick<KeyStore, 'sign'>;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** `{baseUrl}/{tid}/v2.0` is a tenant's v2.0 issuer (`iss` of ID tokens and v2.0 access tokens). */
  baseUrl: string;
  /** Read at every token, since the control API changes it at run time. */
  settings: Pick<EmulatorSettings, 'accessTokenLifetimeSeconds' | 'cloud'>;
}

export function createTokenFactory(deps: TokenFactoryDeps): TokenFactory {
  const { directory, keys, clock, baseUrl, settings } = deps;
  const home = directory.tenant.id;
  const now = () => Math.floor(clock() / 1000);
  const v1Issuer = (tenantId = home) => `https://sts.windows.net/${tenantId}/`;
  const issuer = (tenantId = home) => `${baseUrl}/${tenantId}/v2.0`;
  /** A user's tokens come from their own organisation, whichever app they sign in to. */
  const tenantIdOf = (userId: string) => directory.tenantOf(userId)?.id ?? home;
  const tenantOfUser = (user: SeedUser) => tenantIdOf(user.id);
  const subject = (userId: string, clientId: string) =>
    sha256(`${tenantIdOf(userId)}|${userId.toLowerCase()}|${clientId.toLowerCase()}`).toString('base64url');

  /** Group claims as the app's `groupMembershipClaims` asks, or the overage form past 200 groups. */
  function groupClaims(app: SeedApplication, user: SeedUser): Record<string, unknown> {
    if (app.groupMembershipClaims === 'None') return {};
    let groups = directory.transitiveMemberOf(user.id);
    if (app.groupMembershipClaims === 'SecurityGroup') groups = groups.filter((g) => g.securityEnabled);
    if (app.groupMembershipClaims === 'ApplicationGroup') {
      const assigned = new Set(app.appRoleAssignments.map((a) => a.principalId.toLowerCase()));
      groups = groups.filter((g) => assigned.has(g.id.toLowerCase()));
    }
    if (groups.length > GROUPS_OVERAGE_LIMIT) {
      return {
        _claim_names: { groups: 'src1' },
        _claim_sources: {
          src1: { endpoint: `${graphResourceIn(settings.cloud)}/v1.0/users/${user.id}/getMemberObjects` },
        },
      };
    }
    return groups.length > 0 ? { groups: groups.map((g) => g.id) } : {};
  }

  function wids(user: SeedUser): string[] {
    return user.userType === 'Guest' ? [] : [...(user.directoryRoles ?? []), DEFAULT_USER_ROLE_TEMPLATE_ID];
  }

  const factory: TokenFactory = {
    v1Issuer,
    issuer,
    subject,
    loginHint: (user) =>
      `O.${Buffer.from(JSON.stringify({ oid: user.id, tid: tenantOfUser(user), upn: user.userPrincipalName })).toString('base64url')}`,
    parseLoginHint(hint) {
      if (!hint.startsWith('O.')) return undefined;
      try {
        const parsed = JSON.parse(Buffer.from(hint.slice(2), 'base64url').toString('utf8')) as {
          oid?: unknown;
        };
        return typeof parsed.oid === 'string' ? parsed.oid : undefined;
      } catch {
        return undefined;
      }
    },
    idToken({ app, user, sessionId, authTime, oidc, nonce }) {
      const iat = now();
      const tid = tenantOfUser(user);
      const profile = oidc.has('profile');
      const roles = directory.appRolesOf(app, user.id);
      const claims: Record<string, unknown> = {
        ver: '2.0',
        iss: issuer(tid),
        sub: subject(user.id, app.clientId),
        aud: app.clientId,
        exp: iat + ID_TOKEN_LIFETIME_S,
        iat,
        nbf: iat,
        auth_time: Math.floor(authTime / 1000),
        tid,
        ...(nonce !== undefined ? { nonce } : {}),
        ...(profile
          ? { oid: user.id, name: user.displayName, preferred_username: user.userPrincipalName }
          : {}),
        ...(oidc.has('email') && user.mail && app.optionalClaims.includes('email')
          ? { email: user.mail }
          : {}),
        ...(roles.length > 0 ? { roles } : {}),
        ...groupClaims(app, user),
        ...(app.optionalClaims.includes('sid') ? { sid: sessionId } : {}),
        ...(app.optionalClaims.includes('login_hint') ? { login_hint: factory.loginHint(user) } : {}),
        aio: opaque(24),
        rh: `0.A${opaque(12)}`,
        uti: opaque(16),
      };
      return keys.sign(claims);
    },
    async accessToken({ app, user, sessionId, authTime, resource, scopes, acrs, clientCapabilities }) {
      const iat = now();
      const tid = tenantOfUser(user);
      const expiresIn = settings.accessTokenLifetimeSeconds;
      const scp = scopes.join(' ');
      const common = {
        aud: resource.audience,
        iat,
        nbf: iat,
        exp: iat + expiresIn,
        auth_time: Math.floor(authTime / 1000),
        tid,
        oid: user.id,
        name: user.displayName,
        scp,
        sid: sessionId,
        uti: opaque(16),
        aio: opaque(24),
        rh: `0.A${opaque(12)}`,
        ...(acrs?.length ? { acrs: [...acrs] } : {}),
        ...(clientCapabilities?.length ? { xms_cc: [...clientCapabilities] } : {}),
      };
      let claims: Record<string, unknown>;
      if (resource.tokenVersion === '1.0') {
        // Graph and SharePoint tokens are v1.0 tokens from sts.windows.net, whatever endpoint issued them.
        claims = {
          ...common,
          ver: '1.0',
          iss: v1Issuer(tid),
          sub: subject(user.id, resource.audience),
          acct: user.userType === 'Guest' ? 1 : 0,
          acr: '1',
          amr: ['pwd'],
          app_displayname: app.displayName,
          appid: app.clientId,
          appidacr: app.secrets.length > 0 ? '1' : '0',
          family_name: user.surname,
          given_name: user.givenName,
          idtyp: 'user',
          ipaddr: '127.0.0.1',
          unique_name: user.userPrincipalName,
          upn: user.userPrincipalName,
          wids: wids(user),
          xms_idrel: '1 16',
        };
      } else {
        const api = resource.app!;
        const roles = directory.appRolesOf(api, user.id);
        claims = {
          ...common,
          ver: '2.0',
          iss: issuer(tid),
          sub: subject(user.id, api.clientId),
          azp: app.clientId,
          azpacr: app.secrets.length > 0 ? '1' : '0',
          preferred_username: user.userPrincipalName,
          ...(roles.length > 0 ? { roles } : {}),
          ...groupClaims(api, user),
        };
      }
      return { token: await keys.sign(claims), expiresIn, scope: formatScopes(resource, scopes) };
    },
  };
  return factory;
}
