import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { FixedPathRouter } from './fixed-path-router';

/** The same little app on Hono's default router and on FixedPathRouter. */
function build(router?: FixedPathRouter<never>) {
  const app = router ? new Hono({ router }) : new Hono();
  const seen: string[] = [];
  app.use(async (_c, next) => {
    seen.push('edge');
    await next();
  });
  app.use('/api/*', async (_c, next) => {
    seen.push('api');
    await next();
  });
  app.get('/api/principals/search', (c) => c.text('search'));
  app.get('/api/principals/:source/:type/:id/photo', (c) => c.json(c.req.param()));
  app.get('/api/groups/local/:id', (c) => c.text(`local ${c.req.param('id')}`));
  app.get('/api/groups/:source/:id/members', (c) => c.json(c.req.param()));
  app.post('/api/groups', (c) => c.text('created'));
  app.get('/api/groups', (c) => c.text('list'));
  app.get('/healthz', (c) => c.text('ok'));
  app.notFound((c) => c.text('none', 404));
  return { app, seen };
}

describe('FixedPathRouter', () => {
  it('answers every request as Hono’s default router does, middleware included, and again the same way', async () => {
    const plain = build();
    const fixed = build(new FixedPathRouter());
    const requests: [string, string][] = [
      ['GET', '/api/principals/search'],
      ['GET', '/api/principals/entra/user/42/photo'],
      ['GET', '/api/principals/search/user/1/photo'],
      ['GET', '/api/groups/local/7'],
      ['GET', '/api/groups/entra/9/members'],
      ['GET', '/api/groups'],
      ['POST', '/api/groups'],
      ['DELETE', '/api/groups'],
      ['HEAD', '/api/groups'],
      ['GET', '/healthz'],
      ['GET', '/api/nowhere'],
      ['GET', '/nowhere'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [method, path] of requests) {
        plain.seen.length = 0;
        fixed.seen.length = 0;
        const [a, b] = await Promise.all([
          plain.app.request(path, { method }),
          fixed.app.request(path, { method }),
        ]);
        expect({ method, path, status: b.status, body: await b.text(), seen: fixed.seen }).toEqual({
          method,
          path,
          status: a.status,
          body: await a.text(),
          seen: plain.seen,
        });
      }
    }
  });
});
