import type { Clock } from '../clock';

export interface TokenFreshnessOptions {
  /** Refresh at the latest when this much is left (default 5 minutes). */
  refreshBeforeMs?: number;
  /**
   * Refresh when less than this fraction of the token's lifetime is left, if that comes later than
   * `refreshBeforeMs` (default 0.5): a 60-second token serves 30 seconds, not zero.
   */
  refreshFraction?: number;
}

/** A token's times as the session keeps them (epoch ms; `issuedAt` absent on older builds' tokens). */
export interface TokenTimes {
  expiresAt: number | undefined;
  issuedAt?: number | undefined;
}

/**
 * Whether a stored token still serves: more than its refresh margin left. The margin is
 * `refreshBeforeMs`, or `refreshFraction` of the lifetime when that is smaller, so tokens shorter
 * than twice the margin are not refreshed on every call. Without `issuedAt` (a token an older build
 * stored) the lifetime is unknown and the fixed margin applies.
 */
export function createTokenFreshness(clock: Clock, options: TokenFreshnessOptions = {}) {
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const fraction = options.refreshFraction ?? 0.5;
  if (!(refreshBeforeMs >= 0)) throw new TypeError('token freshness: refreshBeforeMs must be >= 0.');
  if (!(fraction > 0 && fraction < 1)) {
    throw new TypeError('token freshness: refreshFraction must be between 0 and 1 (exclusive).');
  }
  const marginOf = ({ expiresAt, issuedAt }: TokenTimes & { expiresAt: number }) =>
    issuedAt !== undefined && issuedAt < expiresAt
      ? Math.min(refreshBeforeMs, (expiresAt - issuedAt) * fraction)
      : refreshBeforeMs;
  return {
    isFresh(times: TokenTimes): boolean {
      const { expiresAt } = times;
      return expiresAt !== undefined && expiresAt - clock.now() > marginOf({ ...times, expiresAt });
    },
    /** Not expired yet (it may be due for a refresh, but it still works). */
    isUnexpired(expiresAt: number | undefined): boolean {
      return expiresAt !== undefined && expiresAt > clock.now();
    },
  };
}

export type TokenFreshness = ReturnType<typeof createTokenFreshness>;
