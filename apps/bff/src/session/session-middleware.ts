import type { Config } from '@gatehouse/config';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../clock';
import { AppError, type AppErrorOptions } from '../http/errors';
import { readHeader } from '../http/request-header';
import { isThenable } from '../is-thenable';
import { clearedSessionCookie, SESSION_COOKIE_NAME, sessionCookieId } from './session-cookie';
import type { SessionRecord, SessionStore } from './session-store';

/** What `requireActiveSession` puts on `c.var` (part of `AppEnv`). */
export interface SessionVariables {
  session: SessionRecord;
}

/** What `optionalSession` puts on `c.var`: the session, or nothing for a signed-out request. */
export interface OptionalSessionVariables {
  session: SessionRecord | undefined;
}

export type SessionConfig = Pick<Config, 'SESSION_EXPIRY' | 'REFRESH_TOKEN_EXPIRY'>;

export interface SessionMiddlewareDeps {
  store: SessionStore;
  clock: Clock;
  config: SessionConfig;
}

export interface SessionMiddlewareOptions {
  /**
   * Whether using the session extends its idle timeout (default true). Pass false for endpoints
   * the SPA polls, so polling alone does not keep an unattended session alive.
   */
  slide?: boolean;
  /**
   * The idle expiry is written at most this often per session (default 60 s): the hot path stays a
   * single read, at the price of an idle timeout that may end up to this much early.
   */
  slideIntervalMs?: number;
}

export type SessionEndReason = 'no_session' | 'idle_timeout' | 'absolute_timeout';

export type SessionCheck =
  | { kind: 'active'; session: SessionRecord }
  | { kind: 'ended'; reason: SessionEndReason; hadCookie: boolean };

/**
 * Times for a new session (sign-in): the idle timeout is `SESSION_EXPIRY` from the last use, the
 * absolute one `REFRESH_TOKEN_EXPIRY` from sign-in, whatever happens in between.
 */
export function initialSessionTimes(now: number, config: SessionConfig) {
  const absoluteExpiresAt = now + config.REFRESH_TOKEN_EXPIRY;
  return {
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: Math.min(now + config.SESSION_EXPIRY, absoluteExpiresAt),
    absoluteExpiresAt,
  };
}

/**
 * Reads the cookie, loads the session and applies both timeouts. Expiry is judged against the
 * stored times and the current configuration (whichever ends first), so shortening
 * `SESSION_EXPIRY`/`REFRESH_TOKEN_EXPIRY` applies to existing sessions too. An expired session is
 * deleted. An active one is slid forward (see `slideIntervalMs`).
 */
export function createSessionLoader(deps: SessionMiddlewareDeps, options: SessionMiddlewareOptions = {}) {
  const { store, clock, config } = deps;
  const slide = options.slide ?? true;
  const slideIntervalMs = options.slideIntervalMs ?? 60_000;
  if (!(config.SESSION_EXPIRY > 0) || !(config.REFRESH_TOKEN_EXPIRY > 0)) {
    throw new TypeError('session middleware: SESSION_EXPIRY and REFRESH_TOKEN_EXPIRY must be positive (ms).');
  }

  /** Both timeouts, then the slide: a promise only when the store is written to. */
  const judge = (id: string, session: SessionRecord | undefined): SessionCheck | Promise<SessionCheck> => {
    if (!session) return { kind: 'ended', reason: 'no_session', hadCookie: true };
    const now = clock.now();
    const absoluteEnd = Math.min(session.absoluteExpiresAt, session.createdAt + config.REFRESH_TOKEN_EXPIRY);
    const idleEnd = Math.min(session.idleExpiresAt, session.lastSeenAt + config.SESSION_EXPIRY);
    if (now >= absoluteEnd || now >= idleEnd) {
      const reason = now >= absoluteEnd ? 'absolute_timeout' : 'idle_timeout';
      return store.delete(id).then(() => ({ kind: 'ended', reason, hadCookie: true }));
    }
    if (!slide || now - session.lastSeenAt < slideIntervalMs) return { kind: 'active', session };
    return store
      .update(id, { lastSeenAt: now, idleExpiresAt: Math.min(now + config.SESSION_EXPIRY, absoluteEnd) })
      .then((slid) =>
        // Gone meanwhile: signed out in another tab or by front-channel logout.
        slid ? { kind: 'active', session: slid } : { kind: 'ended', reason: 'no_session', hadCookie: true },
      );
  };

  // Answers without a promise when the store did (a cached session) and nothing is written: the
  // signed-in hot path then runs without one (docs/performance.md). `await` takes either.
  return function loadSession(c: Context): SessionCheck | Promise<SessionCheck> {
    const id = sessionCookieId(readHeader(c, 'cookie'));
    if (id === undefined) return { kind: 'ended', reason: 'no_session', hadCookie: false };
    if (id === null) return { kind: 'ended', reason: 'no_session', hadCookie: true };
    const session = store.get(id);
    return isThenable(session)
      ? Promise.resolve(session).then((found) => judge(id, found))
      : judge(id, session);
  };
}

/** The 401 for a request without a usable session; `headers` clear a stale cookie. */
export function loginRequiredError(
  reason: SessionEndReason,
  config: SessionConfig,
  headers?: AppErrorOptions['headers'],
): AppError {
  const message =
    reason === 'idle_timeout'
      ? `Your session ended after ${formatDuration(config.SESSION_EXPIRY)} without activity. Sign in again.`
      : reason === 'absolute_timeout'
        ? `Your session reached its maximum length of ${formatDuration(config.REFRESH_TOKEN_EXPIRY)}. Sign in again.`
        : 'You are not signed in. Sign in to continue.';
  return new AppError('login_required', message, { reason, ...(headers ? { headers } : {}) });
}

/**
 * For routes that work signed in or out (the login route, `/api/config`): sets `c.var.session` to
 * the session or undefined; a stale cookie is cleared on the way out.
 */
export function optionalSession(
  deps: SessionMiddlewareDeps,
  options: SessionMiddlewareOptions = {},
): MiddlewareHandler<{ Variables: OptionalSessionVariables }> {
  const loadSession = createSessionLoader(deps, options);
  return async function optionalSession(c, next) {
    const check = await loadSession(c);
    c.set('session', check.kind === 'active' ? check.session : undefined);
    await next();
    // Unless the route set a new session cookie itself (sign-in), drop the stale one.
    const setsOurs = c.res.headers.getSetCookie().some((h) => h.startsWith(`${SESSION_COOKIE_NAME}=`));
    if (check.kind === 'ended' && check.hadCookie && !setsOurs) {
      c.res.headers.append('Set-Cookie', clearedSessionCookie());
    }
  };
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${Math.round(ms / 1000)} seconds`;
}
