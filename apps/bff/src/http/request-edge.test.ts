import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
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

async function onNodeServer(app: Hono, run: (origin: string) => Promise<void>) {
  const { origin, close } = await new Promise<{ origin: string; close(): void }>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
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
