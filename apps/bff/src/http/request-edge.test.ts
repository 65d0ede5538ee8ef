import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { edgeServerOptions } from './edge-response';
import { createLogger } from './logger';
import { nodeResponse, streamToClient } from './node-response';
import { requestEdge } from './request-edge';
import type { SecurityHeadersConfig } from './security-headers';

const config = {
  DOMAIN_SERVER: 'https://chat.contoso.com',
  ENABLE_SHAREPOINT_FILEPICKER: false,
  SHAREPOINT_BASE_URL: undefined,
  OPENID_ISSUER: 'https://login.example/tenant/v2.0',
  OPENID_CALLBACK_URL: '/oauth/openid/callback',
} as SecurityHeadersConfig;

function edgeApp() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = new Hono();
  app.use(requestEdge({ config, log: createLogger({ level: 'info', destination }) }));
  app.get('/api/auth/session', (c) => c.json({ id: c.get('requestId') }));
  app.get('/api/cached', (c) => c.json({}, 200, { 'Cache-Control': 'private, max-age=60' }));
  app.get('/', (c) => c.html('<!doctype html>'));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  app.onError((_err, c) => c.json({ error: 'internal' }, 500));
  return { app, lines };
}

async function onNodeServer(app: Hono, run: (origin: string) => Promise<void>, serverOptions: object = {}) {
  const { origin, close } = await new Promise<{ origin: string; close(): void }>((resolve) => {
    const server = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0, serverOptions },
      (info: AddressInfo) =>
        resolve({ origin: `http://127.0.0.1:${info.port}`, close: () => server.close() }),
    );
  });
  try {
    await run(origin);
  } finally {
    close();
  }
}

// The same behaviour through app.request() (headers added after the route) and on node-server
// (headers set on the Node response before it).
const runners: [string, (app: Hono, path: string) => Promise<Response>][] = [
  ['app.request()', async (app, path) => app.request(path)],
  [
    '@hono/node-server',
    async (app, path) => {
      let res!: Response;
      await onNodeServer(app, async (origin) => {
        res = await fetch(origin + path);
        await res.clone().arrayBuffer();
      });
      return res;
    },
  ],
  [
    '@hono/node-server with EdgeResponse',
    async (app, path) => {
      let res!: Response;
      await onNodeServer(
        app,
        async (origin) => {
          res = await fetch(origin + path);
          await res.clone().arrayBuffer();
        },
        edgeServerOptions,
      );
      return res;
    },
  ],
];

describe.each(runners)('requestEdge through %s', (_name, send) => {
  it('sends the request id, the API header set and logs one line with that id', async () => {
    const { app, lines } = edgeApp();
    const res = await send(app, '/api/auth/session');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]+$/);
    expect(await res.json()).toEqual({ id });
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        reqId: id,
        method: 'GET',
        path: '/api/auth/session',
        status: 200,
      }),
    ]);
  });

  it("keeps the route's cache policy and sends the document set on pages", async () => {
    const { app } = edgeApp();
    expect((await send(app, '/api/cached')).headers.get('cache-control')).toBe('private, max-age=60');
    const page = await send(app, '/');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('logs a failing request at error level, with the headers still sent', async () => {
    const { app, lines } = edgeApp();
    const res = await send(app, '/api/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(lines).toEqual([expect.objectContaining({ level: 50, path: '/api/boom', status: 500 })]);
  });
});

/** Every header of a response as Node received it (names lower-cased, in order), without Date. */
function rawHeaders(
  origin: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<{ status: number; headers: string[] }>((resolve, reject) => {
    const req = request(origin + path, init, (res) => {
      const headers: string[] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i]!.toLowerCase();
        if (name !== 'date') headers.push(`${name}: ${res.rawHeaders[i + 1]}`);
      }
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: headers.sort() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('EdgeResponse', () => {
  it('sends exactly the headers setHeader before the route sent, on every kind of answer', async () => {
    const build = () => {
      const { app } = edgeApp();
      app.get('/api/redirect', (c) => c.redirect('/elsewhere'));
      app.get('/api/own-lower-case', (c) =>
        c.body('x', 200, { 'cache-control': 'max-age=5', 'x-request-id': 'mine' }),
      );
      app.get('/api/set-on-node', (c) => {
        nodeResponse(c)?.setHeader('Cache-Control', 'private');
        return c.json({});
      });
      app.get('/api/stream', (c) =>
        streamToClient(
          c,
          200,
          { 'Content-Type': 'text/plain', 'Content-Length': '2' },
          Readable.from(['ok']),
        ),
      );
      app.get('/api/headers-object', (c) => {
        c.header('X-Extra', '1');
        return c.text('with Headers');
      });
      app.get('/api/empty', (c) => c.body(null, 204));
      return app;
    };
    const paths = [
      '/api/auth/session',
      '/api/cached',
      '/',
      '/api/boom',
      '/api/redirect',
      '/api/own-lower-case',
      '/api/set-on-node',
      '/api/stream',
      '/api/headers-object',
      '/api/empty',
      '/api/nowhere',
    ];
    const answers = async (serverOptions: object) => {
      const seen: Record<string, { status: number; headers: string[] }> = {};
      await onNodeServer(
        build(),
        async (origin) => {
          for (const [method, path] of [...paths.map((p) => ['GET', p]), ['HEAD', '/api/auth/session']]) {
            const answer = await rawHeaders(origin, path!, { method: method! });
            // Ids count per server: compare their presence, not their value.
            answer.headers = answer.headers.map((h) =>
              h.startsWith('x-request-id: ') && h !== 'x-request-id: mine' ? 'x-request-id: <id>' : h,
            );
            seen[`${method} ${path}`] = answer;
          }
        },
        serverOptions,
      );
      return seen;
    };
    const before = await answers({});
    const after = await answers(edgeServerOptions);
    expect(after).toEqual(before);
    // And what they are, once: the API set on the session check, the route's own where it set one.
    expect(after['GET /api/auth/session']!.headers.filter((h) => !h.startsWith('content-length'))).toEqual(
      [
        'cache-control: no-store',
        'connection: keep-alive',
        "content-security-policy: default-src 'none'; frame-ancestors 'none'",
        'content-type: application/json',
        'keep-alive: timeout=5',
        'strict-transport-security: max-age=31536000; includeSubDomains',
        'x-content-type-options: nosniff',
        'x-request-id: <id>',
      ].sort(),
    );
    expect(after['GET /api/own-lower-case']!.headers).toContain('cache-control: max-age=5');
    expect(after['GET /api/own-lower-case']!.headers).toContain('x-request-id: mine');
    expect(after['GET /api/set-on-node']!.headers).toContain('cache-control: private');
    expect(after['GET /api/stream']!.headers).toContain('x-content-type-options: nosniff');
  });

  it('keeps the edge headers for the error answer when a route head is refused by Node', async () => {
    const { app } = edgeApp();
    app.get('/api/bad-header', (c) => {
      const res = nodeResponse(c);
      try {
        res?.writeHead(200, { 'X-Bad': 'line\r\nbreak' }); // Node refuses the value and throws
      } catch {
        // The route's fallback, as node-server's own 500 would be.
      }
      return c.json({ error: 'internal' }, 500);
    });
    await onNodeServer(
      app,
      async (origin) => {
        const answer = await rawHeaders(origin, '/api/bad-header', { method: 'GET' });
        expect(answer.status).toBe(500);
        expect(answer.headers).toContain('x-content-type-options: nosniff');
        expect(answer.headers).toContain('cache-control: no-store');
        expect(answer.headers.some((h) => h.startsWith('x-request-id: '))).toBe(true);
        expect(answer.headers.some((h) => h.startsWith('x-bad'))).toBe(false);
      },
      edgeServerOptions,
    );
  });
});
