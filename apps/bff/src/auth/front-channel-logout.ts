import type { Handler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import type { SessionStore } from '../session/session-store';
import type { OidcClient } from './oidc';

export interface FrontChannelLogoutDeps {
  log: Logger;
  oidc: OidcClient;
  store: SessionStore;
}

/**
 * `GET /oauth/openid/frontchannel-logout?sid=…[&iss=…]`: OpenID Front-Channel Logout. The provider
 * loads this URL in a hidden, cross-site iframe when the user signs out elsewhere, so no SameSite
 * cookie arrives: sessions are found by the provider's `sid` alone (stored at sign-in) and deleted.
 * Entra sends only `sid`; `iss`, when present, must be the provider's issuer. Always 200 with an
 * empty page (the provider does not read it), never cached.
 */
export function createFrontChannelLogoutHandler(deps: FrontChannelLogoutDeps): Handler<AppEnv> {
  return async function frontChannelLogout(c) {
    c.header('Cache-Control', 'no-store');
    const sid = c.req.query('sid');
    if (sid && sid.length <= 200) {
      try {
        const issuer = await deps.oidc.metadataIssuer();
        const iss = c.req.query('iss');
        if (iss === undefined || iss === issuer) {
          const ended = await deps.store.deleteByProviderSid(issuer, sid);
          deps.log.info({ ended }, 'front-channel logout');
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
