import type { Config } from '@gatehouse/config';
import type { MiddlewareHandler } from 'hono';
import { clearedSessionCookie } from '../session/session-cookie';
import {
  createSessionLoader,
  loginRequiredError,
  type SessionMiddlewareDeps,
  type SessionMiddlewareOptions,
  type SessionVariables,
} from '../session/session-middleware';
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
  return async function requireActiveSession(c, next) {
    const check = await loadSession(c);
    if (check.kind === 'ended') {
      throw loginRequiredError(check.reason, deps.config, check.hadCookie ? clearCookie : undefined);
    }
    let session = check.session;
    if (deps.config.OPENID_REUSE_TOKENS && deps.tokens.isDue(session)) {
      const result = await deps.tokens.sessionToken(session);
      if (result.kind !== 'token') {
        const ended =
          result.kind === 'reauthenticate' &&
          (result.reason === 'revoked' ||
            result.reason === 'role_removed' ||
            result.reason === 'session_ended' ||
            result.reason === 'id_token_invalid');
        throw tokenFailure(result, ended ? clearCookie : undefined);
      }
      session = result.session;
    }
    c.set('session', session);
    await next();
  };
}
