/** URL helpers shared by the field parsers, the rules and the doctor. */

/**
 * This machine's names as a URL's `hostname` gives them: `localhost`, `127.0.0.1` and `::1` (`[::1]`).
 * The one definition of "local" for plain http, loopback issuers, the emulator's origins and
 * EMULATOR_HOST_MAP, in the configuration and in the BFF. Deliberately not `*.localhost` nor the rest
 * of 127.0.0.0/8: see docs/security.md ("Which hosts are loopback").
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Plain http on this machine (the emulator, a test provider): the only http Gatehouse accepts. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
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
  return url.protocol === 'https:' || isLoopbackHttp(url);
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
