import type { Config } from '@gatehouse/config';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { RoleRecheck, RoleRecheckInput } from '../session/token-manager';
import type { IdTokenClaims, OidcClient } from './oidc';
import type { RoleCheck } from './role-check';
import { checkTenant } from './tenant-allow-list';

export interface RefreshRoleCheckDeps {
  config: Pick<Config, 'OPENID_REQUIRED_ROLE' | 'OPENID_REQUIRED_ROLE_TOKEN_KIND' | 'OPENID_ALLOWED_TENANTS'>;
  oidc: Pick<OidcClient, 'hasUserInfo' | 'userInfo'>;
  roles: RoleCheck;
  log: Logger;
}

/**
 * The role policy again at every refresh of the session's own token. The claims are the refresh's
 * ID token; without one, and with the role read from the ID token, the sign-in's claims are as old
 * as the sign-in, so the provider is asked now (userinfo, same path), or the session ends.
 * An organisation taken off OPENID_ALLOWED_TENANTS loses its sessions at their next refresh.
 */
export function createRefreshRoleCheck(deps: RefreshRoleCheckDeps) {
  const { config, oidc, roles } = deps;
  const rolesFromIdToken =
    config.OPENID_REQUIRED_ROLE.length > 0 && config.OPENID_REQUIRED_ROLE_TOKEN_KIND === 'id';
  const staleIdTokenWarning = warnOncePerSession(deps.log);

  return async function recheckRoles({
    session,
    tokens: refreshed,
    previousClaims,
    graphToken,
  }: RoleRecheckInput): Promise<RoleRecheck> {
    let claims = refreshed.claims ?? previousClaims;
    if (!claims) return { allowed: true, roles: session.roles };
    const tenant = checkTenant(config.OPENID_ALLOWED_TENANTS, claims);
    if (!tenant.allowed) {
      deps.log.warn(
        { session: session.id.slice(0, 8), tid: tenant.tenant.tenantId, event: 'security' },
        'the organisation (tid) is no longer in OPENID_ALLOWED_TENANTS: session ended',
      );
      return { allowed: false, unverifiable: true };
    }
    if (!refreshed.claims && rolesFromIdToken) {
      // The ID token's roles are as old as the sign-in: checking them again would never notice a
      // removed role. Ask the provider now (userinfo, same path), or end the session.
      const hasUserInfo = await oidc.hasUserInfo();
      staleIdTokenWarning(session.id, hasUserInfo);
      if (!hasUserInfo) return { allowed: false, unverifiable: true };
      const fresh = await oidc.userInfo(refreshed.accessToken, claims.sub);
      claims = { ...fresh, sub: claims.sub } as IdTokenClaims;
    }
    const checked = claims;
    const result = await roles({
      claims: checked,
      accessToken: refreshed.accessToken,
      userInfo: () => oidc.userInfo(refreshed.accessToken, checked.sub),
      graphToken,
    });
    return result.allowed ? result : { allowed: false, requiredRoles: result.requiredRoles };
  };
}

/**
 * The operator's hint when a refresh returns no ID token while the required role is read from it:
 * once per session (the refresh repeats every access-token lifetime), for the last 10 000 sessions.
 */
function warnOncePerSession(log: Logger) {
  const warned = new LRUCache<string, true>({ max: 10_000 });
  return (sessionId: string, hasUserInfo: boolean) => {
    if (warned.has(sessionId)) return;
    warned.set(sessionId, true);
    log.warn(
      { session: sessionId.slice(0, 8) },
      hasUserInfo
        ? 'The provider returned no ID token on refresh, so OPENID_REQUIRED_ROLE is re-checked in its userinfo response (same OPENID_REQUIRED_ROLE_PARAMETER_PATH); a user whose role is missing there loses the session. Have the provider return an ID token on refresh, or set OPENID_REQUIRED_ROLE_TOKEN_KIND to where the role really is.'
        : 'The provider returned no ID token on refresh and has no userinfo endpoint, so OPENID_REQUIRED_ROLE cannot be re-checked: the session ends and the user signs in again. Have the provider return an ID token on refresh, or use OPENID_REQUIRED_ROLE_TOKEN_KIND=access.',
    );
  };
}
