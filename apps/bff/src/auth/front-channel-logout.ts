import type { Handler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import type { IssuerPattern, SessionStore } from '../session/session-store';
import type { OidcClient } from './oidc';

export interface FrontChannelLogoutDeps {
  log: Logger;
  oidc: OidcClient;
  store: SessionStore;
}

const TENANT_TEMPLATE = '{tenantid}';

/**
 * The issuers of a multi-tenant provider's tenants, from Entra's template issuer
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`): the template with a tenant GUID in place.
 */
export function tenantIssuerPattern(template: string): IssuerPattern | undefined {
  const at = template.indexOf(TENANT_TEMPLATE);
  if (at < 0) return undefined;
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const before = literal(template.slice(0, at));
  const after = literal(template.slice(at + TENANT_TEMPLATE.length));
  return new RegExp(`^${before}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${after}$`, 'i');
}

/**
 * `GET /oauth/openid/frontchannel-logout?sid=…[&iss=…]`: OpenID Front-Channel Logout. The provider
 * loads this URL in a hidden, cross-site iframe when the user signs out elsewhere, so no SameSite
 * cookie arrives: sessions are found by the provider's `sid` (stored at sign-in) and deleted.
 * Entra sends only `sid`; `iss`, when present, must be the provider's issuer — with a multi-tenant
 * issuer, one tenant's issuer, and then only that tenant's sessions end. Without `iss`, the `sid`
 * (unguessable, the provider's own) ends the sessions it names under any of the provider's tenants.
 * Always 200 with an empty page (the provider does not read it), never cached.
 */
export function createFrontChannelLogoutHandler(deps: FrontChannelLogoutDeps): Handler<AppEnv> {
  return async function frontChannelLogout(c) {
    c.header('Cache-Control', 'no-store');
    const sid = c.req.query('sid');
    if (sid && sid.length <= 200) {
      try {
        const target = whoseSessions(await deps.oidc.metadataIssuer(), c.req.query('iss'));
        if (target !== undefined) {
          const ended = await deps.store.deleteByProviderSid(target, sid);
          deps.log.info(
            { ended, ...(typeof target === 'string' ? { issuer: target } : {}) },
            'front-channel logout',
          );
        } else {
          deps.log.warn('front-channel logout for another issuer ignored');
        }
      } catch (err) {
        deps.log.warn({ err }, 'front-channel logout could not be processed');
      }
    }
    return c.html('<!doctype html><title>Signed out</title>');
  };
}

/**
 * The issuer whose sessions a logout request may end: the configured one, or with a multi-tenant
 * issuer the tenant `iss` names (or every tenant, by pattern, when it names none); `undefined` when
 * `iss` is not ours.
 */
function whoseSessions(issuer: string, iss: string | undefined): string | IssuerPattern | undefined {
  const tenants = tenantIssuerPattern(issuer);
  if (iss === undefined) return tenants ?? issuer;
  return iss === issuer || tenants?.test(iss) ? iss : undefined;
}
