import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import type { RefreshBackoff, SessionStore } from './session-store';

export interface RefreshBackoffOptions {
  /** Wait after the first failed refresh (default 1 s); doubled at each further failure. */
  firstDelayMs?: number;
  /** Longest wait the BFF picks itself (default 30 s). */
  maxDelayMs?: number;
  /** Longest `Retry-After` from the provider that is honoured (default 5 minutes). */
  maxRetryAfterMs?: number;
}

export interface RefreshBackoffs {
  /** This process's view: the back-off in force for the session, if any (no I/O: the hot path). */
  pending(id: string): RefreshBackoff | undefined;
  /** The shared view, under the refresh lock: reads the store (another instance may have failed). */
  current(id: string): Promise<RefreshBackoff | undefined>;
  /** After a failed refresh: the next wait, growing with each failure, at least the provider's Retry-After. */
  failed(id: string, retryAfterMs?: number): Promise<RefreshBackoff>;
  /** After a successful refresh: clears a back-off the session had. */
  succeeded(id: string): Promise<void>;
}

/**
 * Remembers a failed refresh per session, so a provider that is down or throttling is not asked
 * again on every API call (Entra counts such loops, AADSTS50196, and then refuses the client).
 * Until `retryAt`, callers get 503 with `Retry-After` at once. Kept in this process for the hot path
 * and in the store for the other BFF instances.
 */
export function createRefreshBackoffs(
  deps: { store: Pick<SessionStore, 'refreshBackoff' | 'setRefreshBackoff'>; clock: Clock },
  options: RefreshBackoffOptions = {},
): RefreshBackoffs {
  const firstDelayMs = options.firstDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5 * 60_000;
  if (!(firstDelayMs > 0 && maxDelayMs >= firstDelayMs && maxRetryAfterMs > 0)) {
    throw new TypeError('refresh back-off: need 0 < firstDelayMs <= maxDelayMs and maxRetryAfterMs > 0.');
  }
  const { store, clock } = deps;
  // Also the last known failure count, so the next failure grows the wait (kept past retryAt).
  const known = new LRUCache<string, RefreshBackoff>({ max: 10_000 });
  const active = (backoff: RefreshBackoff | undefined) =>
    backoff && backoff.retryAt > clock.now() ? backoff : undefined;

  return {
    pending: (id) => active(known.get(id)),

    async current(id) {
      const stored = await store.refreshBackoff(id);
      if (stored) known.set(id, stored);
      else known.delete(id);
      return active(stored);
    },

    async failed(id, retryAfterMs) {
      const failures = (known.get(id)?.failures ?? 0) + 1;
      const grown = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - 1, 30));
      const honoured = Math.min(retryAfterMs ?? 0, maxRetryAfterMs);
      const backoff = { failures, retryAt: clock.now() + Math.max(grown, honoured) };
      known.set(id, backoff);
      await store.setRefreshBackoff(id, backoff);
      return backoff;
    },

    async succeeded(id) {
      if (!known.has(id)) return;
      known.delete(id);
      await store.setRefreshBackoff(id, undefined);
    },
  };
}
