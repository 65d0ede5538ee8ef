import { routes } from '@gatehouse/contracts';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import type { OidcClient } from '../auth/oidc';
import type { DatabaseHandle } from '../db/connect';
import { ping } from '../db/ping';

export interface HealthRoutesDeps {
  database: DatabaseHandle;
  oidc: Pick<OidcClient, 'status' | 'metadataIssuer'>;
  log: Logger;
}

/** `GET /healthz` (the process answers) and `GET /readyz` (the database and the provider metadata). */
export function createHealthRoutes(deps: HealthRoutesDeps) {
  const app = new Hono<AppEnv>();
  app.get(routes.health, (c) => c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' }));
  app.get(routes.ready, async (c) => {
    // The probe is unauthenticated: it says which dependency is down, never why (a database error
    // names hosts and users). The detail goes to the log.
    const database = await ping(deps.database.db).then(
      () => true,
      (err: unknown) => {
        deps.log.error({ err }, 'readiness: the database does not answer');
        return false;
      },
    );
    // While the provider is down, each probe is also a (rate-limited) attempt to rediscover it.
    if (!deps.oidc.status().ready) await deps.oidc.metadataIssuer().catch(() => undefined);
    const provider = deps.oidc.status();
    const ready = database && provider.ready;
    if (!provider.ready) deps.log.warn({ error: provider.error }, 'readiness: provider metadata not loaded');
    return c.json(
      {
        status: ready ? 'ready' : 'not_ready',
        checks: {
          database: database ? 'ok' : 'unavailable',
          provider: provider.ready ? 'ok' : 'unavailable',
        },
      },
      ready ? 200 : 503,
      { 'Cache-Control': 'no-store' },
    );
  });
  return app;
}
