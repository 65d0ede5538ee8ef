import { routes } from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import { type RateLimitOptions, rateLimit } from '../http/rate-limit';
import { optionalSession } from '../session/session-middleware';
import { createAccessDeniedHandler } from './access-denied';
import { type ActiveSessionDeps, requireActiveSession } from './active-session';
import { type CallbackDeps, createCallbackHandler } from './callback';
import { createFrontChannelLogoutHandler, type FrontChannelLogoutDeps } from './front-channel-logout';
import { createLoginHandler, type LoginDeps } from './login';
import { createLogoutHandler, type LogoutDeps } from './logout';
import { createSessionInfoHandler, type SessionInfoDeps } from './session-info';

export type AuthRoutesDeps = LoginDeps &
  CallbackDeps &
  FrontChannelLogoutDeps &
  LogoutDeps &
  SessionInfoDeps &
  ActiveSessionDeps & {
    config: { TRUST_PROXY: number; redirectUri: string };
    log: Logger;
    /** Sign-in rate limit per client address. */
    signInRateLimit: Pick<RateLimitOptions, 'limit' | 'windowMs'>;
  };

/**
 * The sign-in routes of the BRIEF: start and finish a sign-in (rate limited per client), the
 * provider's front-channel logout, the SPA's session and logout endpoints. `/api/*` routes sit
 * behind the app-wide CSRF check (app.ts).
 */
export function createAuthRoutes(deps: AuthRoutesDeps) {
  const app = new Hono<AppEnv>();
  const trustedProxyHops = deps.config.TRUST_PROXY;
  const rateLimited = rateLimit({ ...deps.signInRateLimit, trustedProxyHops });
  const limited = trustedProxyHops === 0 ? warnOnceAboutForwardedFor(deps, rateLimited) : rateLimited;
  const sessionDeps = { store: deps.store, clock: deps.clock, config: deps.config, tokens: deps.tokens };

  app.get(routes.login, limited, createLoginHandler(deps));
  // The path of OPENID_CALLBACK_URL (default /oauth/openid/callback), as registered at the provider.
  // A sign-in counts once: a callback that continues an attempt is not counted again, one without
  // an attempt (restarted or refused) is counted by the handler.
  app.get(
    new URL(deps.config.redirectUri).pathname,
    createCallbackHandler({ ...deps, signInLimit: limited }),
  );
  app.get(routes.frontChannelLogout, createFrontChannelLogoutHandler(deps));
  app.get(routes.session, requireActiveSession(sessionDeps), createSessionInfoHandler(deps));
  app.get(routes.accessDenied, createAccessDeniedHandler());
  app.post(
    routes.logout,
    optionalSession({ ...sessionDeps, config: deps.config }, { slide: false }),
    createLogoutHandler(deps),
  );
  return app;
}

/**
 * With TRUST_PROXY=0 behind a reverse proxy, every user shares the proxy's address and so one
 * rate-limit bucket. The header alone proves nothing (any client can send it), so this only tells
 * the operator, once per process.
 */
function warnOnceAboutForwardedFor(deps: { log: Logger }, then: MiddlewareHandler): MiddlewareHandler {
  let warned = false;
  return (c, next) => {
    if (!warned && c.req.header('x-forwarded-for') !== undefined) {
      warned = true;
      deps.log.warn(
        'A sign-in request carries X-Forwarded-For but TRUST_PROXY is 0, so the sign-in rate limit counts the proxy, not each client. Behind a load balancer or ingress, set TRUST_PROXY to the number of proxies (usually 1); leave it 0 if clients connect to the BFF directly.',
      );
    }
    return then(c, next);
  };
}
