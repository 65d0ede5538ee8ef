import type { SessionResponse } from '@gatehouse/contracts';
import type { Handler } from 'hono';
import type { SignedInEnv } from '../app-env';
import { AppError } from '../http/errors';
import { isoDate } from '../iso-date';
import type { SessionStore } from '../session/session-store';
import type { UserLookup } from '../users/user-lookup';

export interface SessionInfoDeps {
  store: SessionStore;
  /** Profiles cached in memory: the SPA asks for the session on every load and focus. */
  users: UserLookup;
}

/**
 * `GET /api/auth/session` (behind `requireActiveSession`): who is signed in and when the session
 * ends — `expiresAt` (idle timeout, moves with use) and `absoluteExpiresAt` (fixed at sign-in) — so
 * the SPA never has to guess. No token ever appears here.
 */
export function createSessionInfoHandler(deps: SessionInfoDeps): Handler<SignedInEnv> {
  return async function sessionInfo(c) {
    const session = c.get('session'); // not c.var, which copies every variable on each access
    const user = await deps.users.byId(session.userId);
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
      // isoDate: toISOString's string, without V8's printf (docs/performance.md).
      expiresAt: isoDate(session.idleExpiresAt),
      absoluteExpiresAt: isoDate(session.absoluteExpiresAt),
    };
    return c.json(body);
  };
}
