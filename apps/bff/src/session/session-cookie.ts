import { randomBytes } from 'node:crypto';
import { generateCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';

/**
 * The session cookie: `__Host-gatehouse=<opaque id>; Path=/; HttpOnly; Secure; SameSite=Lax`, no
 * Domain. It carries 256 random bits and nothing else; everything about the session lives server side.
 *
 * Why `SameSite=Lax` and not `Strict`: the sign-in callback is a top-level navigation that arrives
 * from the provider's site (login.microsoftonline.com is always cross-site), and so is the first
 * click on a link to the app from Teams or mail. A Strict cookie is not sent on those navigations,
 * so the user would look signed out on the page they land on. Lax sends the cookie on top-level GET
 * navigations only, never on cross-site POSTs, iframes, images or fetches. CSRF is not left to
 * SameSite: every `/api/*` call must carry `X-CSRF: 1` (a custom header forces a CORS preflight that
 * other origins fail) and state changes must also come from our own origin (Origin or
 * Sec-Fetch-Site check), see http/csrf.ts. GET routes change no state.
 *
 * `__Host-` forbids Domain and requires Secure and Path=/, so a sibling subdomain cannot plant or
 * overwrite it (Chromium treats http://localhost as secure, so the prefix also works in dev). Hono's
 * cookie serialiser refuses a `__Host-` cookie without those, so a wrong setting throws here.
 */
export const SESSION_COOKIE_NAME = '__Host-gatehouse';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque session id: 32 CSPRNG bytes, base64url (43 characters). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a cookie value has the shape of a session id (checked before any database read). */
export function isSessionId(value: string | undefined): value is string {
  return value !== undefined && SESSION_ID.test(value);
}

/**
 * The session cookie's raw value in a `Cookie` request header (the first one when repeated), or
 * undefined. Takes the header rather than the context: the session check reads it straight from
 * Node's parsed headers (see `readHeader`), which `getCookie(c)` would copy first.
 */
export function sessionCookieValue(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader, SESSION_COOKIE_NAME)[SESSION_COOKIE_NAME];
}

/** The session id in a request's `Cookie` header, or undefined when absent or malformed. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | undefined {
  const value = sessionCookieValue(cookieHeader);
  return isSessionId(value) ? value : undefined;
}

/**
 * `Set-Cookie` for a session. The cookie lives no longer than the session's absolute expiry, so the
 * browser forgets it when the server would refuse it anyway.
 */
export function sessionCookie(id: string, lifetime: { absoluteExpiresAt: number; now: number }): string {
  if (!isSessionId(id)) throw new TypeError('sessionCookie: the id must come from newSessionId().');
  const maxAge = Math.max(0, Math.floor((lifetime.absoluteExpiresAt - lifetime.now) / 1000));
  return generateCookie(SESSION_COOKIE_NAME, id, { ...attributes, maxAge: Math.min(maxAge, 400 * 86400) });
}

/** `Set-Cookie` that removes the session cookie (sign-out, expired or unknown session). */
export function clearedSessionCookie(): string {
  return generateCookie(SESSION_COOKIE_NAME, '', { ...attributes, maxAge: 0 });
}

const attributes = { httpOnly: true, secure: true, path: '/', sameSite: 'Lax' } as const;
