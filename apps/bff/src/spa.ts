import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './app-env';

export interface SpaOptions {
  /** The built SPA (`apps/web/dist`): `index.html` and `assets/`. */
  root: string;
}

/**
 * Serves the built SPA in production, so one container is enough: files as they are (hashed
 * `assets/*` cached for a year), and `index.html` for every other GET that is a page of the SPA
 * (client-side routes such as `/access-denied`). `/api/*`, `/oauth/*` and the health routes are
 * never answered here. The CSP and other headers come from `securityHeaders()`.
 */
export function createSpaRoutes(options: SpaOptions) {
  const app = new Hono<AppEnv>();
  let index: Promise<string> | undefined;
  const indexHtml = () => {
    index ??= readFile(join(options.root, 'index.html'), 'utf8').catch((err: unknown) => {
      index = undefined;
      throw err;
    });
    return index;
  };
  const isAppPath = (path: string) =>
    path.startsWith('/api/') ||
    path === '/api' ||
    path.startsWith('/oauth/') ||
    path === '/oauth' ||
    path === '/healthz' ||
    path === '/readyz';

  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.get('*', async (c, next) => {
    if (isAppPath(c.req.path)) return next();
    return serveStatic<AppEnv>({ root: options.root })(c, next);
  });
  app.get('*', async (c, next) => {
    if (isAppPath(c.req.path) || c.req.path.startsWith('/assets/')) return next();
    c.header('Cache-Control', 'no-cache');
    return c.html(await indexHtml());
  });
  return app;
}
