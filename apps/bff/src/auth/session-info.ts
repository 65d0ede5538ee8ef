import type { SessionResponse } from '@gatehouse/contracts';
import type { Handler } from 'hono';
import type { SignedInEnv } from '../app-env';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/errors';
import type { SessionStore } from '../session/session-store';
import { findUserById, type User } from '../users/user-repository';

export interface SessionInfoDeps {
  database: DatabaseHandle;
  store: SessionStore;
  clock: { now(): number };
}

export interface SessionInfoOptions {
  /** How long a user's profile is served from memory (default 60 s; it changes only at sign-in). */
  userTtlMs?: number;
  /** Profiles kept at once (default 10 000); the least recently loaded go first. */
  maxUsers?: number;
}

/**
 * `GET /api/auth/session` (behind `requireActiveSession`): who is signed in and when the session
 * ends — `expiresAt` (idle timeout, moves with use) and `absoluteExpiresAt` (fixed at sign-in) — so
 * the SPA never has to guess. No token ever appears here.
 */
export function createSessionInfoHandler(
  deps: SessionInfoDeps,
  options: SessionInfoOptions = {},
): Handler<SignedInEnv> {
  const ttlMs = options.userTtlMs ?? 60_000;
  const maxUsers = options.maxUsers ?? 10_000;
  // The SPA asks for the session on every load and focus: keep the profile read off that path.
  const users = new Map<string, { user: User; until: number }>();

  async function userOf(id: string): Promise<User | undefined> {
    const now = deps.clock.now();
    const cached = users.get(id);
    if (cached && cached.until > now) return cached.user;
    const user = await findUserById(deps.database.db, id);
    users.delete(id);
    if (user) {
      users.set(id, { user, until: now + ttlMs });
      if (users.size > maxUsers) users.delete(users.keys().next().value as string);
    }
    return user;
  }

  return async function sessionInfo(c) {
    const session = c.var.session;
    const user = await userOf(session.userId);
    if (!user) {
      // The user row is gone (deleted by an administrator): the session cannot stand.
      await deps.store.delete(session.id);
      throw new AppError('login_required', 'Your account is no longer known here. Sign in again.', {
        reason: 'no_session',
      });
    }
    const body: SessionResponse = {
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        username: user.username,
        tenantId: user.tenantId,
        roles: session.roles,
      },
      expiresAt: new Date(session.idleExpiresAt).toISOString(),
      absoluteExpiresAt: new Date(session.absoluteExpiresAt).toISOString(),
    };
    return c.json(body);
  };
}
