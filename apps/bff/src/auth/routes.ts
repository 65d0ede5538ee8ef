import { routes } from '@gatehouse/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { rateLimit } from '../http/rate-limit';
import { optionalSession } from '../session/session-middleware';
import { requireActiveSession } from './active-session';
import { createCallbackHandler } from './callback';
import { createFrontChannelLogoutHandler } from './front-channel-logout';
import { createLoginHandler } from './login';
import { createLogoutHandler } from './logout';
import { createSessionInfoHandler } from './session-info';

/**
 * The sign-in routes of the BRIEF: start and finish a sign-in (rate limited per client), the
 * provider's front-channel logout, the SPA's session and logout endpoints. `/api/*` routes sit
 * behind the app-wide CSRF check (app.ts).
 */
export function createAuthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const limited = rateLimit(deps.signInRateLimit);
  const sessionDeps = { store: deps.store, clock: deps.clock, config: deps.config, tokens: deps.tokens };

  app.get(routes.login, limited, createLoginHandler(deps));
  // The path of OPENID_CALLBACK_URL (default /oauth/openid/callback), as registered at the provider.
  app.get(new URL(deps.config.redirectUri).pathname, limited, createCallbackHandler(deps));
  app.get(routes.frontChannelLogout, createFrontChannelLogoutHandler(deps));
  app.get(routes.session, requireActiveSession(sessionDeps), createSessionInfoHandler(deps));
  app.post(
    routes.logout,
    optionalSession({ ...sessionDeps, config: deps.config }, { slide: false }),
    createLogoutHandler(deps),
  );
  return app;
}
