export interface SessionReadCacheOptions {
  /**
   * How long a read is reused (default 1000 ms). This bounds how long a session deleted or changed
   * by ANOTHER instance can still be served here; writes through this instance invalidate at once.
   */
  ttlMs?: number;
  /** Sessions kept at most (default 10 000); the oldest go first. */
  maxEntries?: number;
  /** Real time in ms (default `Date.now`): the TTL is a staleness bound, not app time. */
  now?: () => number;
}

export interface SessionReadCache<T> {
  /** Entries held (expired ones go as new ones come in). */
  readonly size: number;
  /**
   * The cached value of session `id`, or `load()`'s (cached unless it is undefined). A hit is
   * returned as it is, without a promise (the signed-in hot path awaits it anyway).
   */
  read(id: string, load: () => Promise<T | undefined>): T | Promise<T | undefined>;
  /** Drops session `id`'s entry (after a write the store made on its own). */
  invalidate(id: string): void;
  /** Runs a write to session `id`: its entry is dropped before the write starts and after it ends. */
  writing<R>(id: string, write: () => Promise<R>): Promise<R>;
  /** Runs a write to many sessions: entries matching `affects` are dropped before and after. */
  writingWhere<R>(affects: (value: T) => boolean, write: () => Promise<R>): Promise<R>;
  /** Runs `fn` with reads of session `id` going to the store (the refresh lock's re-read). */
  bypassing<R>(id: string, fn: () => Promise<R>): Promise<R>;
}

/**
 * The in-process read cache of the session store (the signed-in hot path reads the session on every
 * `/api/*` call). Rules:
 *
 * - a read is reused for `ttlMs`; misses are not cached (a session created on another instance is
 *   visible at once, and random ids cannot fill the cache);
 * - writes through this instance drop the entries they touch before they return, and a read that
 *   was in flight when any write started is not cached (it may predate the write);
 * - inside `bypassing(id)` (the refresh lock) reads of that session skip the cache, so the token
 *   manager sees a refresh another instance made.
 *
 * What stays cached is what the store builds records from, so every `get` still hands out a fresh
 * record that its caller may change freely.
 *
 * Not lru-cache (which the BFF's other caches use): every entry has the same TTL, so insertion order
 * is expiry order and dropping the expired ones is a walk from the front that stops at the first live
 * one. lru-cache keeps expired entries until `purgeStale()` (a scan of all) or a timer per entry
 * (`ttlAutopurge`), on the path every signed-in request takes; and the write generation and
 * bypass counts, the actual work here, would stay beside it anyway.
 */
export function createSessionReadCache<T>(options: SessionReadCacheOptions = {}): SessionReadCache<T> {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  if (!(ttlMs >= 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('session read cache: ttlMs must be >= 0 and maxEntries a positive integer.');
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T; expiresAt: number }>();
  /** Sessions whose refresh lock is held here, with how many holders. */
  const bypassed = new Map<string, number>();
  /** Bumped by every write: a read that started under another value may be stale. */
  let generation = 0;

  const drop = (id: string) => {
    generation++;
    entries.delete(id);
  };
  const dropWhere = (affects: (value: T) => boolean) => {
    generation++;
    for (const [id, entry] of entries) if (affects(entry.value)) entries.delete(id);
  };
  const around = async <R>(invalidate: () => void, fn: () => Promise<R>): Promise<R> => {
    invalidate();
    try {
      return await fn();
    } finally {
      invalidate();
    }
  };

  /** A read the cache could not answer: the store's, cached unless a write overlapped it. */
  const miss = async (id: string, load: () => Promise<T | undefined>, at: number) => {
    const startedAt = generation;
    const value = await load();
    if (value === undefined || generation !== startedAt || bypassed.has(id)) return value;
    // Entries are in insertion order, which is expiry order: drop the expired ones at the front,
    // so the cache holds what was read within the last TTL, not every session ever seen.
    for (const [key, entry] of entries) {
      if (entry.expiresAt > at && entries.size < maxEntries) break;
      entries.delete(key);
    }
    entries.set(id, { value, expiresAt: at + ttlMs });
    return value;
  };

  return {
    get size() {
      return entries.size;
    },
    read(id, load) {
      if (bypassed.has(id)) return load();
      const at = now();
      const hit = entries.get(id);
      if (hit) {
        if (hit.expiresAt > at) return hit.value;
        entries.delete(id);
      }
      return miss(id, load, at);
    },
    invalidate: drop,
    writing: (id, write) => around(() => drop(id), write),
    writingWhere: (affects, write) => around(() => dropWhere(affects), write),
    async bypassing(id, fn) {
      bypassed.set(id, (bypassed.get(id) ?? 0) + 1);
      drop(id);
      try {
        return await fn();
      } finally {
        const holders = (bypassed.get(id) ?? 1) - 1;
        if (holders > 0) bypassed.set(id, holders);
        else bypassed.delete(id);
        drop(id);
      }
    },
  };
}
