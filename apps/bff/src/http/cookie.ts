/**
 * Set-Cookie serialisation that refuses unsafe settings where they are made (like hono's cookie
 * util): a `__Host-` cookie must be Secure, Path=/ and have no Domain; a `__Secure-` cookie must be
 * Secure; SameSite=None needs Secure. Mistakes throw `TypeError` at the call site, never reach a
 * browser that would silently drop the cookie.
 */
export interface CookieOptions {
  httpOnly?: boolean;
  secure?: boolean;
  path?: string;
  domain?: string;
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Seconds; 0 deletes the cookie. Browsers cap lifetimes at 400 days. */
  maxAge?: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 cookie-octet: visible ASCII except `"`, `,`, `;` and `\`.
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const ATTRIBUTE_VALUE = /^[\x20-\x3A\x3C-\x7E]+$/;
const MAX_AGE_LIMIT = 400 * 24 * 60 * 60;

export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`Cookie name ${JSON.stringify(name)} is not a valid token.`);
  if (!COOKIE_OCTETS.test(value)) {
    throw new TypeError(
      `Cookie ${name}: the value contains characters a cookie cannot carry; encode it first.`,
    );
  }
  if (name.startsWith('__Host-')) {
    if (!options.secure) throw new TypeError(`Cookie ${name}: a __Host- cookie must be Secure.`);
    if (options.domain !== undefined)
      throw new TypeError(`Cookie ${name}: a __Host- cookie must not have a Domain.`);
    if (options.path !== '/') throw new TypeError(`Cookie ${name}: a __Host- cookie must have Path=/.`);
  }
  if (name.startsWith('__Secure-') && !options.secure) {
    throw new TypeError(`Cookie ${name}: a __Secure- cookie must be Secure.`);
  }
  if (options.sameSite === 'None' && !options.secure) {
    throw new TypeError(`Cookie ${name}: SameSite=None requires Secure.`);
  }
  let header = `${name}=${value}`;
  if (options.maxAge !== undefined) {
    if (!Number.isInteger(options.maxAge) || options.maxAge < 0 || options.maxAge > MAX_AGE_LIMIT) {
      throw new TypeError(`Cookie ${name}: Max-Age must be a whole number of seconds from 0 to 400 days.`);
    }
    header += `; Max-Age=${options.maxAge}`;
  }
  if (options.domain !== undefined) {
    if (!ATTRIBUTE_VALUE.test(options.domain)) throw new TypeError(`Cookie ${name}: invalid Domain.`);
    header += `; Domain=${options.domain}`;
  }
  if (options.path !== undefined) {
    if (!options.path.startsWith('/') || !ATTRIBUTE_VALUE.test(options.path)) {
      throw new TypeError(`Cookie ${name}: Path must start with / and contain no ; or control characters.`);
    }
    header += `; Path=${options.path}`;
  }
  if (options.secure) header += '; Secure';
  if (options.httpOnly) header += '; HttpOnly';
  if (options.sameSite) header += `; SameSite=${options.sameSite}`;
  return header;
}

/** The first cookie called `name` in a `Cookie` request header (no decoding), or undefined. */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  let from = 0;
  while (from < cookieHeader.length) {
    const end = cookieHeader.indexOf(';', from);
    const pair = cookieHeader.slice(from, end === -1 ? undefined : end);
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
    if (end === -1) break;
    from = end + 1;
  }
  return undefined;
}
