/**
 * Where to come back to after signing in: only a path on this origin. Anything else (absolute URLs,
 * protocol-relative `//host`, backslash tricks, control characters) falls back to `fallback`, so a
 * crafted link can never turn the sign-in round trip into an open redirect. The BFF checks again.
 */
export function toReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (!value) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  return value;
}

/** A same-origin absolute URL (as msal's `redirectStartPage` may be) reduced to its path, or null. */
export function sameOriginPath(url: string, origin: string): string | null {
  if (url.startsWith('/')) return toReturnTo(url, '') || null;
  try {
    const parsed = new URL(url);
    if (parsed.origin !== origin) return null;
    return toReturnTo(`${parsed.pathname}${parsed.search}${parsed.hash}`, '') || null;
  } catch {
    return null;
  }
}
