import { type ErrorHandler, Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { afterNext, asMiddleware } from './compose-layers';
import { FixedPathRouter } from './fixed-path-router';

const onError: ErrorHandler = (err, c) => c.text(`error: ${err.message}`, 500);

/** The same little app on Hono's default router and on FixedPathRouter. */
function build(router?: FixedPathRouter<never>) {
  const app = router ? new Hono({ router }) : new Hono();
  const seen: string[] = [];
  app.onError(onError);
  app.use(async (c, next) => {
    seen.push('edge');
    await next();
    // What the outer layer sees once the route answered, errors included.
    seen.push(`edge saw ${c.res.status}`);
  });
  // Synchronous, chaining on next() as the request edge does.
  app.use(
    '/api/*',
    asMiddleware((c, next) => {
      seen.push('api');
      if (c.req.header('x-refuse')) throw new Error('refused');
      return afterNext(next(), () => seen.push(`api saw ${c.res.status}`));
    }),
  );
  app.get('/api/principals/search', (c) => c.text('search'));
  app.get('/api/sync-throw', () => {
    throw new Error('thrown');
  });
  app.get('/api/async-throw', async () => {
    await Promise.resolve();
    throw new Error('rejected');
  });
  app.get('/api/twice', async (_c, next) => {
    await next();
    await next();
  });
  // Answers, then goes on: Hono's compose skips the not-found handler once the response is final.
  app.get('/api/answered-then-next', async (c, next) => {
    c.res = c.text('answered');
    await next();
  });
  app.get('/api/slow', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return c.text('slow');
  });
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
    const fixed = build(new FixedPathRouter({ onError }));
    const requests: [string, string, Record<string, string>?][] = [
      ['GET', '/api/principals/search'],
      ['GET', '/api/principals/search', { 'x-refuse': '1' }],
      ['GET', '/api/sync-throw'],
      ['GET', '/api/async-throw'],
      ['GET', '/api/twice'],
      ['GET', '/api/slow'],
      ['GET', '/api/answered-then-next'],
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
      for (const [method, path, headers = {}] of requests) {
        plain.seen.length = 0;
        fixed.seen.length = 0;
        const [a, b] = await Promise.all([
          plain.app.request(path, { method, headers }),
          fixed.app.request(path, { method, headers }),
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

  it('answers a fixed path whose layers are all synchronous without a promise, as Hono does a lone handler', async () => {
    const app = new Hono({ router: new FixedPathRouter({ onError }) });
    app.use(asMiddleware((c, next) => afterNext(next(), () => c.header('x-after', 'yes'))));
    app.get('/sync', (c) => c.text('sync'));
    app.get('/async', async (c) => c.text('async'));
    for (let round = 0; round < 2; round++) {
      const sync = app.fetch(new Request('http://localhost/sync'));
      expect(sync).toBeInstanceOf(Response);
      const res = await sync;
      expect([res.status, res.headers.get('x-after'), await res.text()]).toEqual([200, 'yes', 'sync']);
      const later = app.fetch(new Request('http://localhost/async'));
      expect(later).toBeInstanceOf(Promise);
      expect(await (await later).text()).toBe('async');
    }
  });
});
