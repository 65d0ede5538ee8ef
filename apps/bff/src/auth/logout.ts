import type { Config } from '@gatehouse/config';
import type { LogoutResponse } from '@gatehouse/contracts';
import type { Handler } from 'hono';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import { clearedSessionCookie } from '../session/session-cookie';
import type { SessionRecord, SessionStore } from '../session/session-store';
import type { OidcClient } from './oidc';

export interface LogoutDeps {
  config: Pick<
    Config,
    | 'OPENID_USE_END_SESSION_ENDPOINT'
    | 'OPENID_POST_LOGOUT_REDIRECT_URI'
    | 'OPENID_MAX_LOGOUT_URL_LENGTH'
    | 'DOMAIN_CLIENT'
  >;
  log: Logger;
  oidc: OidcClient;
  store: SessionStore;
}

/**
 * `POST /api/auth/logout` → `{ redirect }`. The session row, and with it every token, is deleted
 * first (Entra has no revocation endpoint, so deleting our copy is what ends the BFF's access);
 * then, with OPENID_USE_END_SESSION_ENDPOINT, the SPA is sent to the provider's end-session endpoint
 * to end the single sign-on session too. The session is named by `logout_hint` when the ID token
 * carries Entra's `login_hint` claim (an opaque value issued for exactly this), so no token reaches
 * the browser; other providers get `id_token_hint`, replaced by a username `logout_hint` when the
 * URL would be longer than OPENID_MAX_LOGOUT_URL_LENGTH (AADSTS90015).
 * Signed out already → the login page; logging out twice is fine.
 */
/** The `state` the end-session request carries back to the login page. */
export const SIGNED_OUT_STATE = 'signed_out';

export function createLogoutHandler(deps: LogoutDeps): Handler<AppEnv> {
  const { config } = deps;
  const loginPage = `${config.DOMAIN_CLIENT}/login`;
  return async function logout(c) {
    const session = c.var.session;
    let redirect = loginPage;
    if (session) {
      // Built before the delete: the session's tokens are read from the row that is about to go.
      const endSession = config.OPENID_USE_END_SESSION_ENDPOINT
        ? await endSessionUrl(deps, session).catch((err: unknown) => {
            deps.log.warn({ err }, 'no end-session URL: the provider session stays signed in');
            return undefined;
          })
        : undefined;
      await deps.store.delete(session.id);
      deps.log.info({ user: session.userId }, 'signed out');
      if (config.OPENID_USE_END_SESSION_ENDPOINT)
        redirect = endSession ?? config.OPENID_POST_LOGOUT_REDIRECT_URI;
    }
    c.header('Set-Cookie', clearedSessionCookie(), { append: true });
    c.header('Cache-Control', 'no-store');
    return c.json({ redirect } satisfies LogoutResponse);
  };
}

async function endSessionUrl(deps: LogoutDeps, session: SessionRecord): Promise<string | undefined> {
  const { config } = deps;
  // The provider echoes `state` to the post-logout URI (OpenID RP-initiated logout), so the SPA can
  // say "you've signed out" — and not auto-redirect into a new sign-in — without a second
  // registered URI or anything stored in the browser.
  const postLogout = {
    post_logout_redirect_uri: config.OPENID_POST_LOGOUT_REDIRECT_URI,
    state: SIGNED_OUT_STATE,
  };
  const idToken = session.tokens.idToken;
  const loginHint = stringClaim(idToken, 'login_hint');
  if (loginHint) {
    return (await deps.oidc.endSessionUrl({ ...postLogout, logout_hint: loginHint }))?.href;
  }
  const withIdToken = await deps.oidc.endSessionUrl({
    ...postLogout,
    ...(idToken ? { id_token_hint: idToken } : {}),
  });
  if (!withIdToken) return undefined;
  if (withIdToken.href.length <= config.OPENID_MAX_LOGOUT_URL_LENGTH) return withIdToken.href;
  const hint = logoutHint(idToken);
  const short = await deps.oidc.endSessionUrl({ ...postLogout, ...(hint ? { logout_hint: hint } : {}) });
  return short?.href;
}

/** Without Entra's `login_hint` claim, the username is what `logout_hint` can carry. */
function logoutHint(idToken: string | undefined): string | undefined {
  for (const name of ['preferred_username', 'email', 'upn']) {
    const value = stringClaim(idToken, name);
    if (value) return value;
  }
  return undefined;
}

function stringClaim(idToken: string | undefined, name: string): string | undefined {
  if (!idToken) return undefined;
  try {
    const value = decodeJwt(idToken)[name];
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    // A stored ID token was validated at sign-in; an unreadable one just means no hint.
    return undefined;
  }
}
