/**
 * Shares one run of async work among concurrent callers of the same key: `run(key, work)` starts
 * `work` unless a run for `key` is still pending, in which case the caller gets that run's promise.
 * Nothing is kept once it settles, which is why this is not lru-cache's `fetch` (that stores the
 * result for a TTL): a refresh's outcome belongs to its moment (the session store is the cache), and
 * a failed discovery or key download must be retried by the next caller, not replayed to it.
 */
export interface SingleFlight<K, V> {
  run(key: K, work: () => Promise<V>): Promise<V>;
  /** Keys with a run pending (for tests and metrics). */
  readonly size: number;
}

export function createSingleFlight<K, V>(): SingleFlight<K, V> {
  const pending = new Map<K, Promise<V>>();
  return {
    get size() {
      return pending.size;
    },
    run(key, work) {
      let flight = pending.get(key);
      if (!flight) {
        flight = work().finally(() => pending.delete(key));
        pending.set(key, flight);
      }
      return flight;
    },
  };
}
