import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/errors';

/**
 * The cross-process half of `SessionStore.withRefreshLock` (the in-process half is a keyed mutex in
 * front of it, so one process asks the database once at a time per session).
 *
 * - PostgreSQL: a session-level advisory lock `pg_try_advisory_lock(<namespace>, hashtext(id))` on a
 *   connection of the dedicated lock pool, held while the refresh runs. Waiting is a JS-side poll
 *   with backoff that does not hold a connection between tries, so waiters cannot exhaust the pool;
 *   holders use the lock pool only, while the refresh's own queries use the query pool, so a burst
 *   of refreshes cannot deadlock by starving those queries. If the process dies, PostgreSQL drops
 *   the lock with the connection.
 * - SQLite: `BEGIN IMMEDIATE` cannot be held across the refresh's network I/O (the single connection
 *   must keep serving other statements), so the lock is a lease row in `session_locks`, taken with
 *   `INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= now`, renewed while the holder runs and
 *   deleted on release. A crashed holder's lease expires after `leaseMs`.
 *
 * A waiter that cannot get the lock within `waitMs` gets `SessionLockTimeoutError` (a 503).
 */
export interface RefreshLockOptions {
  /** How long a caller waits for the lock (default 30 s). */
  waitMs?: number;
  /** SQLite lease length; renewed every third of it while held (default 30 s). */
  leaseMs?: number;
  /** Wall clock for leases (tests); leases are real time shared between processes. */
  now?: () => number;
  /** Told when a lease could not be renewed or a lock not released cleanly. */
  onWarning?: (message: string, error?: unknown) => void;
}

export interface RefreshLock {
  /** Resolves with a release function once this process holds the lock on `id`. */
  acquire(id: string): Promise<() => Promise<void>>;
}

/** Another request holds this session's refresh lock for longer than the wait allows. */
export class SessionLockTimeoutError extends AppError {
  constructor(waitMs: number) {
    super(
      'provider_unavailable',
      `Another request is still renewing this session's tokens (waited ${waitMs} ms); try again in a moment.`,
    );
    this.name = 'SessionLockTimeoutError';
  }
}

// First key of the two-int advisory lock: keeps our locks apart from any other application's.
const ADVISORY_NAMESPACE = 0x67617465; // 'gate'
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;

export function createRefreshLock(database: DatabaseHandle, options: RefreshLockOptions = {}): RefreshLock {
  const waitMs = options.waitMs ?? 30_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const now = options.now ?? Date.now;
  const warn = options.onWarning ?? (() => {});
  if (!(waitMs > 0) || !(leaseMs > 0)) {
    throw new TypeError('createRefreshLock: waitMs and leaseMs must be positive numbers of milliseconds.');
  }

  /** Polls `tryOnce` with exponential backoff and jitter until it succeeds or `waitMs` passes. */
  async function poll<T>(tryOnce: (remainingMs: number) => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + waitMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SessionLockTimeoutError(waitMs);
      const got = await tryOnce(remaining);
      if (got !== undefined) return got;
      await sleep(Math.min(backoff * (0.5 + Math.random()), Math.max(0, deadline - Date.now())));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  if (database.dialect === 'postgres') {
    const pool = database.lockPool;
    return {
      acquire: (id) =>
        poll(async (remaining) => {
          const client = await connectWithin(pool, remaining, waitMs);
          let locked = false;
          try {
            const result = await client.query<{ locked: boolean }>(
              'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
              [ADVISORY_NAMESPACE, id],
            );
            locked = result.rows[0]?.locked === true;
          } catch (error) {
            client.release(true);
            throw error;
          }
          if (!locked) {
            client.release();
            return undefined;
          }
          // A checked-out client whose connection drops emits 'error'; unheard, that would crash the
          // process. The lock is gone with the connection; the refresh itself carries on.
          const onError = (error: unknown) => warn('lost the connection holding a refresh lock', error);
          client.on('error', onError);
          return async () => {
            client.off('error', onError);
            try {
              await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [ADVISORY_NAMESPACE, id]);
              client.release();
            } catch (error) {
              // Destroying the connection releases the lock server side.
              warn('could not release a refresh lock; dropping its connection', error);
              client.release(true);
            }
          };
        }),
    };
  }

  const db = database.db;
  return {
    acquire: (id) => {
      const owner = randomBytes(12).toString('base64url');
      return poll(async () => {
        const at = now();
        const result = await db
          .insertInto('session_locks')
          .values({ session_id: id, owner, expires_at: at + leaseMs })
          .onConflict((oc) =>
            oc
              .column('session_id')
              .doUpdateSet({ owner, expires_at: at + leaseMs })
              .where('session_locks.expires_at', '<=', at),
          )
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return undefined;

        const renew = setInterval(
          () => {
            db.updateTable('session_locks')
              .set({ expires_at: now() + leaseMs })
              .where('session_id', '=', id)
              .where('owner', '=', owner)
              .executeTakeFirst()
              .then((r) => {
                if (Number(r.numUpdatedRows) !== 1)
                  warn(`refresh lease of a session was taken over by another process`);
              })
              .catch((error: unknown) => warn('could not renew a refresh lease', error));
          },
          Math.max(1, Math.floor(leaseMs / 3)),
        );
        renew.unref();

        return async () => {
          clearInterval(renew);
          try {
            await db
              .deleteFrom('session_locks')
              .where('session_id', '=', id)
              .where('owner', '=', owner)
              .execute();
          } catch (error) {
            warn('could not release a refresh lease; it expires by itself', error);
          }
        };
      });
    },
  };
}

/** `pool.connect()` that gives up after `remainingMs` (and returns a late client to the pool). */
async function connectWithin(pool: pg.Pool, remainingMs: number, waitMs: number): Promise<pg.PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  const pending = pool.connect();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      pending.then((client) => client.release()).catch(() => {});
      reject(new SessionLockTimeoutError(waitMs));
    }, remainingMs);
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
