import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';

export interface LruOptions<K extends {}, V extends {}, C> {
  /** Entries kept at most; the least recently used go first. */
  max: number;
  /** How long an entry is served after it was stored (omit: until evicted). */
  ttlMs?: number;
  /** The time that `ttlMs` is measured in (a test's fake clock, or `systemClock`). */
  clock: Clock;
  /** Loads a missing or expired key for `fetch`; concurrent `fetch`es of one key share one call. */
  fetchMethod?: LRUCache.Fetcher<K, V, C>;
}

/**
 * A bounded cache (lru-cache) timed by our `Clock`. lru-cache's own time base does not fit it as is:
 * - it reads a start time of 0 as "no TTL", so a fake clock at 0 would keep entries for ever: time
 *   is counted from the cache's creation, starting above 0;
 * - it reuses a clock reading for 1 ms of real time (and arms a timer to forget it): a fake clock
 *   moved in between would go unseen, so `ttlResolution` is 0;
 * - it serves an entry while its age is ≤ ttl, whereas ours expire when the age reaches `ttlMs`
 *   (a profile cached for 5 s is not served at 5 s): ages are counted in half milliseconds and the
 *   ttl is 2·ttlMs − 1, which is exactly that on integer-millisecond clocks.
 * So callers give a TTL only here, never per entry (`set(k, v, { ttl })` would be in half ms).
 */
export function createLru<K extends {}, V extends {}, C = unknown>(
  options: LruOptions<K, V, C>,
): LRUCache<K, V, C> {
  const { max, ttlMs, clock, fetchMethod } = options;
  if (!Number.isInteger(max) || max < 1) throw new TypeError('createLru: max must be a positive integer.');
  if (ttlMs !== undefined && !(Number.isInteger(ttlMs) && ttlMs >= 1)) {
    throw new TypeError('createLru: ttlMs must be a positive integer number of milliseconds.');
  }
  const origin = clock.now();
  return new LRUCache<K, V, C>({
    max,
    ...(ttlMs !== undefined
      ? { ttl: 2 * ttlMs - 1, ttlResolution: 0, perf: { now: () => 2 * (clock.now() - origin) + 1 } }
      : {}),
    ...(fetchMethod ? { fetchMethod } : {}),
  });
}
