import type { SessionResponse } from '@gatehouse/contracts';
import type { Context, Handler } from 'hono';
import type { SignedInEnv } from '../app-env';
import type { Clock } from '../clock';
import { AppError } from '../http/errors';
import { isThenable } from '../is-thenable';
import { isoDate } from '../iso-date';
import type { SessionRecord, SessionStore } from '../session/session-store';
import type { UserLookup } from '../users/user-lookup';
import type { User } from '../users/user-repository';

export interface SessionInfoDeps {
  store: SessionStore;
  /** Profiles cached in memory: the SPA asks for the session on every load and focus. */
  users: UserLookup;
  clock: Clock;
}

/** Bodies remembered at most (one per session; the least recently built goes first). */
const MAX_BODIES = 10_000;

/** A session's last body and what it was made from. */
interface SentBody {
  user: User;
  roles: readonly string[];
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  json: string;
}

/**
 * `GET /api/auth/session` (behind `requireActiveSession`): who is signed in and when the session
 * ends — `expiresAt` (idle timeout, moves with use) and `absoluteExpiresAt` (fixed at sign-in) — so
 * the SPA never has to guess. No token ever appears here.
 *
 * The SPA asks on every load and focus, and the answer changes at most once a minute per session
 * (the idle expiry slides by the minute), so each session's last JSON is kept and sent again while
 * everything it was made from is the same: the same profile object from the user cache (a reloaded
 * profile is a new object), equal roles and equal times. Keyed by session id, so a body never
 * reaches another session; it holds nothing the session's own request could not rebuild.
 */
export function createSessionInfoHandler(deps: SessionInfoDeps): Handler<SignedInEnv> {
  const sent = new Map<string, SentBody>();
  const answer = (c: Context<SignedInEnv>, session: SessionRecord, user: User | undefined) => {
    if (!user) {
      sent.delete(session.id);
      // The user row is gone (deleted by an administrator): the session cannot stand.
      return deps.store.delete(session.id).then(() => {
        throw new AppError('login_required', 'Your account is no longer known here. Sign in again.', {
          reason: 'no_session',
        });
      });
    }
    const last = sent.get(session.id);
    if (
      last !== undefined &&
      last.user === user &&
      last.idleExpiresAt === session.idleExpiresAt &&
      last.absoluteExpiresAt === session.absoluteExpiresAt &&
      sameRoles(last.roles, session.roles)
    ) {
      return c.body(last.json, undefined, { 'Content-Type': 'application/json' });
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
    const json = JSON.stringify(body);
    // Rebuilt bodies move to the end, so the oldest are first: those of sessions that ended (signed
    // out, idle) leave once their idle expiry has passed, the rest past MAX_BODIES.
    sent.delete(session.id);
    const now = deps.clock.now();
    for (const [id, old] of sent) {
      if (old.idleExpiresAt > now && sent.size < MAX_BODIES) break;
      sent.delete(id);
    }
    sent.set(session.id, {
      user,
      roles: [...session.roles],
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      json,
    });
    // What c.json(body) sends: the same bytes and Content-Type.
    return c.body(json, undefined, { 'Content-Type': 'application/json' });
  };
  // Not async: with the profile cached it answers without a promise (see composeLayers).
  return function sessionInfo(c) {
    const session = c.get('session'); // not c.var, which copies every variable on each access
    const user = deps.users.byId(session.userId);
    return isThenable(user)
      ? Promise.resolve(user).then((found) => answer(c, session, found))
      : answer(c, session, user);
  };
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
