import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SSO_COOKIE, type SsoSession, type SsoSessionStore } from '../sso-session-store';

/** The browser's SSO session, if its cookie names a live one; a stale cookie is cleared. */
export function currentSsoSession(c: Context, ssoSessions: SsoSessionStore): SsoSession | undefined {
  const session = ssoSessions.byCookie(getCookie(c, SSO_COOKIE));
  if (!session && getCookie(c, SSO_COOKIE)) deleteCookie(c, SSO_COOKIE, { path: '/' });
  return session;
}

export function setSsoCookie(c: Context, session: SsoSession, options: { secure: boolean }): void {
  setCookie(c, SSO_COOKIE, session.cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: options.secure,
  });
}
