import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import type { UserRow } from './user.table';
import { findUserById, type User, userRowToUser } from './user-repository';

export interface UserLookupOptions {
  /** How long a profile is reused (default 5 s). Profiles are display data, not authority. */
  ttlMs?: number;
  /** Profiles kept at most (default 10 000); the oldest go first. */
  maxEntries?: number;
  clock?: Clock;
}

export interface UserLookup {
  byId(id: string): Promise<User | undefined>;
  /** Drops a cached profile (after an upsert in this process). */
  forget(id: string): void;
}

/**
 * User profiles for the signed-in hot path (`GET /api/auth/session` on every SPA start and tab):
 * a short-lived in-process cache in front of the users table, and on SQLite a cached prepared
 * statement. Safe to cache because a profile grants nothing: the session check (never cached)
 * decides who is signed in, and deleting a user deletes their sessions.
 */
export function createUserLookup(
  deps: { database: DatabaseHandle },
  options: UserLookupOptions = {},
): UserLookup {
  const { database } = deps;
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.clock ? () => options.clock!.now() : Date.now;
  const cache = new Map<string, { user: User; expiresAt: number }>();

  let statement: { get(id: string): UserRow | undefined } | undefined;
  const load = async (id: string): Promise<User | undefined> => {
    if (database.dialect !== 'sqlite') return findUserById(database.db, id);
    statement ??= database.sqlite.prepare('select * from users where id = ?');
    const row = statement.get(id);
    return row && userRowToUser(row);
  };

  return {
    async byId(id) {
      const at = now();
      const hit = cache.get(id);
      if (hit && hit.expiresAt > at) return hit.user;
      const user = await load(id);
      cache.delete(id);
      if (user) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(id, { user, expiresAt: at + ttlMs });
      }
      return user;
    },
    forget(id) {
      cache.delete(id);
    },
  };
}
