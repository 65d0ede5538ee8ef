import { createLru } from '../cache/lru';
import { type Clock, systemClock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import type { UserRow } from './user.table';
import { findUserById, type User, userRowToUser } from './user-repository';

export interface UserLookupOptions {
  /** How long a profile is reused (default 5 s). Profiles are display data, not authority. */
  ttlMs?: number;
  /** Profiles kept at most (default 10 000); the least recently used go first. */
  maxEntries?: number;
  clock?: Clock;
}

export interface UserLookup {
  /**
   * The user's profile; a cached one comes without a promise (the session check answers without
   * one then, docs/performance.md). `await` takes either.
   */
  byId(id: string): User | undefined | Promise<User | undefined>;
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
  const cache = createLru<string, User>({
    max: options.maxEntries ?? 10_000,
    ttlMs: options.ttlMs ?? 5000,
    clock: options.clock ?? systemClock,
  });

  let statement: { get(id: string): UserRow | undefined } | undefined;
  const load = async (id: string): Promise<User | undefined> => {
    if (database.dialect !== 'sqlite') return findUserById(database.db, id);
    statement ??= database.sqlite.prepare('select * from users where id = ?');
    const row = statement.get(id);
    return row && userRowToUser(row);
  };

  return {
    byId(id) {
      const hit = cache.get(id);
      if (hit) return hit; // without a promise: see UserLookup.byId
      return load(id).then((user) => {
        if (user) cache.set(id, user);
        else cache.delete(id);
        return user;
      });
    },
    forget(id) {
      cache.delete(id);
    },
  };
}
