/** This machine's names, as a URL's `hostname` gives them: the only hosts the BFF trusts as local. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** Plain http on this machine (the emulator, a test provider): the only http the BFF accepts. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHostname(url.hostname);
}
