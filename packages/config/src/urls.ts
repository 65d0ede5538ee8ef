/** URL helpers shared by the field parsers, the rules and the doctor. */

/** localhost, *.localhost, 127.0.0.0/8 and ::1: the only hosts where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

export function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** `https:`, or `http:` on a loopback host. */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Removes trailing slashes from a URL's text (`https://x/a/` → `https://x/a`). */
export function withoutTrailingSlash(text: string): string {
  return text.replace(/\/+$/, '');
}

/** Issuer identifiers compared as discovery does: scheme and host case-insensitively, trailing `/` ignored. */
export function normaliseIssuer(issuer: string): string {
  const url = tryParseUrl(issuer.trim());
  if (!url) return withoutTrailingSlash(issuer.trim());
  return withoutTrailingSlash(`${url.protocol}//${url.host}${url.pathname}${url.search}`);
}

/** Hides the password of `scheme://user:password@host` URLs before they are shown anywhere. */
export function redactUrlCredentials(text: string): string {
  // Greedy up to the last `@`: an unencoded `@` inside the password must not leak its tail.
  return text.replace(/(\/\/[^/@\s:]*:)\S*@/, '$1***@');
}
