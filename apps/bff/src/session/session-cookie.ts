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
  // The signed-in hot path: the first pair named ours, when its value is a well-formed id, is what
  // hono's parser would return too (it takes the first valid pair). Anything else (no such pair,
  // quotes, encoding, a malformed value) goes through the full parser.
  const value = firstPairValue(cookieHeader);
  if (value !== undefined && SESSION_ID.test(value)) return value;
  return parse(cookieHeader, SESSION_COOKIE_NAME)[SESSION_COOKIE_NAME];
}

const isBlank = (code: number) => code === 32 || code === 9; // space, tab

/**
 * The value of the first `name=value` pair named `__Host-gatehouse` in a Cookie header, trimmed,
 * found with `indexOf` (no split, no object per cookie).
 */
function firstPairValue(header: string): string | undefined {
  const name = SESSION_COOKIE_NAME;
  for (let at = header.indexOf(name); at !== -1; at = header.indexOf(name, at + 1)) {
    let before = at - 1;
    while (before >= 0 && isBlank(header.charCodeAt(before))) before--;
    let equals = at + name.length;
    while (equals < header.length && isBlank(header.charCodeAt(equals))) equals++;
    // Our name as a whole pair name: at the start or after ';', followed by '='.
    if ((before >= 0 && header.charCodeAt(before) !== 59) || header.charCodeAt(equals) !== 61) continue;
    let start = equals + 1;
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    while (start < end && isBlank(header.charCodeAt(start))) start++;
    while (end > start && isBlank(header.charCodeAt(end - 1))) end--;
    return header.slice(start, end);
  }
  return undefined;
}

/**
 * The session id in a `Cookie` request header: the id, `null` when a session cookie was sent but its
 * value is not an id, undefined when there is none. The id's regular expression runs once (the
 * signed-in hot path checked it twice: in `sessionCookieValue`, then again on its answer).
 */
export function sessionCookieId(cookieHeader: string | null | undefined): string | null | undefined {
  if (!cookieHeader) return undefined;
  const value = firstPairValue(cookieHeader);
  if (value !== undefined && SESSION_ID.test(value)) return value;
  const parsed = parse(cookieHeader, SESSION_COOKIE_NAME)[SESSION_COOKIE_NAME];
  if (parsed === undefined) return undefined;
  return SESSION_ID.test(parsed) ? parsed : null;
}

/** The session id in a request's `Cookie` header, or undefined when absent or malformed. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | undefined {
  return sessionCookieId(cookieHeader) ?? undefined;
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
