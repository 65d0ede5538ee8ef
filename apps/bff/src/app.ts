import { toPublicConfig } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';
import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { createAttachmentRoutes } from './attachments/routes';
import { requireActiveSession } from './auth/active-session';
import { createAuthRoutes } from './auth/routes';
import type { AppDeps } from './deps';
import { createHealthRoutes } from './health/routes';
import { csrf } from './http/csrf';
import { errorHandler, notFound } from './http/error-handler';
import { FixedPathRouter } from './http/fixed-path-router';
import { requestEdge } from './http/request-edge';
import { createSharingRoutes } from './sharing/routes';
import { createSpaRoutes } from './spa';
import { createMePhotoHandler } from './users/me-photo';

/**
 * The BFF as a Hono app: the route table, and nothing that does I/O while it is built. `main.ts`
 * serves it; tests call `app.request()` with the emulator's in-process fetch in `deps`.
 */
export function createApp(deps: AppDeps) {
  const { config } = deps;
  const onError = errorHandler<AppEnv>({ log: deps.log });
  // The router runs a fixed path's layers as one handler with the same error handler (see FixedPathRouter).
  const app = new Hono<AppEnv>({ router: new FixedPathRouter({ onError }) });
  const signedIn = requireActiveSession({
    store: deps.store,
    clock: deps.clock,
    config,
    tokens: deps.tokens,
  });

  app.onError(onError);
  app.notFound(notFound());
  // Request id, security headers and the request log line, as one middleware layer.
  app.use(requestEdge({ config, log: deps.log }));
  // Every /api/* call carries X-CSRF: 1; state changes also come from our own origin. Read-only GETs
  // that a browser makes without script (a download link, EventSource) pass without the header when
  // Sec-Fetch-Site says they are this site's own.
  app.use(
    '/api/*',
    csrf({
      allowedOrigins: [config.DOMAIN_SERVER, config.DOMAIN_CLIENT],
      navigableGets: [
        /^\/api\/attachment-jobs\/[^/]+\/events$/,
        /^\/api\/attachments\/[^/]+\/content$/,
        /^\/api\/sharepoint\/drives\/[^/]+\/items\/[^/]+\/content$/,
      ],
    }),
  );

  app.route('/', createAuthRoutes(deps));
  const publicConfig = toPublicConfig(config); // the configuration is frozen: compute once
  app.get(routes.config, (c) => c.json(publicConfig));
  app.get(routes.mePhoto, signedIn, createMePhotoHandler(deps));
  app.route('/', createSharingRoutes({ ...deps, signedIn }));
  app.route('/', createAttachmentRoutes({ ...deps, signedIn }));

  app.route('/', createHealthRoutes(deps));
  if (deps.spaRoot) app.route('/', createSpaRoutes({ root: deps.spaRoot }));
  return app;
}

export type App = ReturnType<typeof createApp>;
