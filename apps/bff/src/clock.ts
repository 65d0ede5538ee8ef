/** Time, injectable so tests can move it (token expiry, idle timeouts, JWKS caching, caches). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
