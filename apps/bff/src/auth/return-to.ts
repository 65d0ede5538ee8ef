/**
 * `returnTo` for sign-in: a same-origin, path-absolute reference (`/conversations/42?tab=files#top`)
 * or `/`. Anything that a browser could resolve to another origin — `//host`, `/\host`, schemes,
 * their percent-encoded forms, control characters or whitespace that browsers strip — is refused,
 * and so are the BFF's own `/oauth/` and `/api/` routes (a sign-in loop or a JSON page). Query and
 * hash are kept as given.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (!isSafeReturnTo(value)) return fallback;
  // What is stored and sent is the resolved form (dot segments removed), the one that was checked.
  const url = new URL(value, BASE);
  return url.pathname + url.search + url.hash;
}

const MAX_LENGTH = 2048;
/** C0 controls, space, DEL, and the Unicode line/paragraph separators. */
function hasUnsafeCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}
const BASE = 'https://gatehouse.invalid';
const RESERVED_PREFIXES = ['/oauth/', '/api/'];

export function isSafeReturnTo(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return false;
  // Raw checks on the whole value (what goes into the Location header).
  if (value.includes('\\') || hasUnsafeCharacter(value)) return false;
  // The path decides where the browser goes: check it and each layer of its percent-decoding, so
  // no encoded form slips through a later decode (by a router, a proxy, or the SPA). The query and
  // hash cannot change the origin, so their encoded content is left alone.
  const end = value.search(/[?#]/);
  let layer = end === -1 ? value : value.slice(0, end);
  for (let depth = 0; ; depth++) {
    if (!isSafePath(layer)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return false; // malformed escapes: nobody can say what it means
    }
    if (decoded === layer) break;
    if (depth === 3) return false; // still decoding after 4 layers: not a path anyone wrote
    layer = decoded;
  }
  try {
    const url = new URL(value, BASE);
    // Dot segments resolve away: `/.//host` and `/a/../..//host` become `//host`, a network path.
    return url.origin === BASE && isSafePath(url.pathname);
  } catch {
    return false;
  }
}

function isSafePath(path: string): boolean {
  if (path[0] !== '/' || path[1] === '/' || path.includes('\\') || hasUnsafeCharacter(path)) return false;
  const lower = path.toLowerCase();
  return !RESERVED_PREFIXES.some((prefix) => lower === prefix.slice(0, -1) || lower.startsWith(prefix));
}
