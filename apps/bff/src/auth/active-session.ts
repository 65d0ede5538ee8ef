import type { Config } from '@gatehouse/config';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { asMiddleware } from '../http/compose-layers';
import { isThenable } from '../is-thenable';
import { clearedSessionCookie } from '../session/session-cookie';
import {
  createSessionLoader,
  loginRequiredError,
  type SessionCheck,
  type SessionMiddlewareDeps,
  type SessionMiddlewareOptions,
  type SessionVariables,
} from '../session/session-middleware';
import type { SessionRecord } from '../session/session-store';
import { type TokenManager, tokenFailure } from '../session/token-manager';

export interface ActiveSessionDeps extends SessionMiddlewareDeps {
  config: SessionMiddlewareDeps['config'] & Pick<Config, 'OPENID_REUSE_TOKENS'>;
  tokens: Pick<TokenManager, 'isDue' | 'sessionToken'>;
}

/**
 * For `/api/*` routes that need a signed-in user: H3's session check (cookie, idle and absolute
 * timeouts), then — with token reuse on — the session's own token is refreshed when it is due (less
 * than half its lifetime or five minutes left). That refresh re-checks the role policy, so a user removed from the role
 * loses access within one access-token lifetime whatever route they call. Outcomes:
 *
 * - no or ended session → 401 `login_required` (`no_session`, `idle_timeout`, `absolute_timeout`);
 * - refresh token revoked → 401 `login_required` `revoked`, session deleted;
 * - refreshed ID token fails validation → 401 `login_required` `id_token_invalid`, session deleted;
 * - role removed → 403 `role_required` `role_removed`, session deleted;
 * - provider down → 503 `provider_unavailable` with `Retry-After`, session kept.
 *
 * Each is an `AppError` for `app.onError` (with the cookie cleared when the session is gone), never a
 * redirect: the SPA decides what to show.
 */
export function requireActiveSession(
  deps: ActiveSessionDeps,
  options: SessionMiddlewareOptions = {},
): MiddlewareHandler<{ Variables: SessionVariables }> {
  const loadSession = createSessionLoader(deps, options);
  const clearCookie = { 'Set-Cookie': clearedSessionCookie() };
  const requireToken = (session: SessionRecord) =>
    deps.tokens.sessionToken(session).then((result) => {
      if (result.kind !== 'token') {
        const ended =
          result.kind === 'reauthenticate' &&
          (result.reason === 'revoked' ||
            result.reason === 'role_removed' ||
            result.reason === 'session_ended' ||
            result.reason === 'id_token_invalid');
        throw tokenFailure(result, ended ? clearCookie : undefined);
      }
      return result.session;
    });
  const proceed = (c: Context<{ Variables: SessionVariables }>, next: Next, check: SessionCheck) => {
    if (check.kind === 'ended') {
      throw loginRequiredError(check.reason, deps.config, check.hadCookie ? clearCookie : undefined);
    }
    if (deps.config.OPENID_REUSE_TOKENS && deps.tokens.isDue(check.session)) {
      return requireToken(check.session).then((session) => {
        c.set('session', session);
        return next();
      });
    }
    c.set('session', check.session);
    return next();
  };
  // Not async: on a cached session whose token isn't due, it answers without a promise when the
  // route does (see composeLayers).
  return asMiddleware(function requireActiveSession(c, next) {
    const check = loadSession(c);
    return isThenable(check)
      ? Promise.resolve(check).then((settled) => proceed(c, next, settled))
      : proceed(c, next, check);
  });
}
