import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestId } from './request-id';
import { type SecurityHeadersConfig, securityHeaders } from './security-headers';

const base: SecurityHeadersConfig = {
  DOMAIN_SERVER: 'http://localhost:3080',
  ENABLE_SHAREPOINT_FILEPICKER: false,
  SHAREPOINT_BASE_URL: undefined,
  OPENID_ISSUER: 'http://localhost:3090/tenant/v2.0',
  OPENID_CALLBACK_URL: '/oauth/openid/callback',
} as SecurityHeadersConfig;

function appWith(config: Partial<SecurityHeadersConfig> = {}) {
  const app = new Hono();
  app.use(securityHeaders({ config: { ...base, ...config } }));
  app.get('/', (c) => c.html('<!doctype html><title>Gatehouse</title>'));
  app.get('/oauth/openid/callback', (c) => c.redirect('/'));
  app.get('/oauth/openid/frontchannel-logout', (c) => c.html('signed out'));
  app.get('/api/auth/session', (c) => c.json({}));
  app.get('/api/me/photo', (c) => c.body('img', 200, { 'Cache-Control': 'private, max-age=3600' }));
  app.get('/proxied', async () => {
    const upstream = await fetch('data:text/plain,hello');
    return upstream;
  });
  return app;
}

function directives(csp: string | null): Record<string, string> {
  return Object.fromEntries(
    (csp ?? '').split('; ').map((d) => {
      const [name, ...values] = d.split(' ');
      return [name!, values.join(' ')];
    }),
  );
}

describe('securityHeaders', () => {
  it('sends a strict CSP for the SPA', async () => {
    const res = await appWith().request('/');
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'connect-src': "'self'",
      'img-src': "'self' data: blob:",
      'frame-src': "'none'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
    });
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('allows framing the SharePoint site only when the picker is on', async () => {
    const on = await appWith({
      ENABLE_SHAREPOINT_FILEPICKER: true,
      SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.com/sites/team',
    }).request('/');
    expect(directives(on.headers.get('content-security-policy'))['frame-src']).toBe(
      'https://contoso.sharepoint.com',
    );
    const off = await appWith({ SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.com' }).request('/');
    expect(directives(off.headers.get('content-security-policy'))['frame-src']).toBe("'none'");
    // The host form-POSTs the options and token into the picker's frame: that one origin, no other.
    expect(directives(on.headers.get('content-security-policy'))['form-action']).toBe(
      "'self' https://contoso.sharepoint.com",
    );
    expect(directives(off.headers.get('content-security-policy'))['form-action']).toBe("'self'");
  });

  it('sends no referrer from the sign-in callback', async () => {
    const res = await appWith().request('/oauth/openid/callback?code=secret&state=s');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lets only the provider frame the front-channel logout page', async () => {
    const res = await appWith().request('/oauth/openid/frontchannel-logout');
    expect(directives(res.headers.get('content-security-policy'))['frame-ancestors']).toBe(
      'http://localhost:3090',
    );
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('sends HSTS only for an https DOMAIN_SERVER', async () => {
    expect((await appWith().request('/')).headers.get('strict-transport-security')).toBeNull();
    const https = await appWith({ DOMAIN_SERVER: 'https://chat.contoso.com' }).request('/');
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('gives API answers the short set: no framing, no sniffing, no caching', async () => {
    const res = await appWith({ DOMAIN_SERVER: 'https://chat.contoso.com' }).request('/api/auth/session');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(res.headers.get('referrer-policy')).toBeNull();
  });

  it('marks API responses no-store unless the route chose a cache policy', async () => {
    const app = appWith();
    expect((await app.request('/api/auth/session')).headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/api/me/photo')).headers.get('cache-control')).toBe('private, max-age=3600');
    expect((await app.request('/')).headers.get('cache-control')).toBeNull();
  });

  it('adds headers to a response passed through from fetch', async () => {
    const res = await appWith().request('/proxied');
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

// Production path: on @hono/node-server the headers go on the Node response before the route runs
// (node-server's fast path); the browser must see exactly what `app.request()` shows above.
describe('securityHeaders on @hono/node-server', () => {
  let origin = '';
  let close = () => {};
  beforeAll(async () => {
    const app = new Hono();
    app.use(requestId());
    app.route('/', appWith({ DOMAIN_SERVER: 'https://chat.contoso.com' }));
    app.get('/api/own-csp', (c) => {
      c.header('Content-Security-Policy', "default-src 'none'; sandbox");
      return c.json({ ok: true });
    });
    app.get('/api/boom', () => {
      throw new Error('boom');
    });
    app.onError((_err, c) => c.json({ error: 'internal' }, 500));
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        origin = `http://127.0.0.1:${info.port}`;
        close = () => server.close();
        resolve();
      });
    });
  });
  afterAll(() => close());

  it('sends the API set on a JSON answer, once each', async () => {
    const res = await fetch(`${origin}/api/auth/session`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(await res.json()).toEqual({});
  });

  it("keeps the route's own headers over the defaults", async () => {
    const photo = await fetch(`${origin}/api/me/photo`);
    expect(photo.headers.get('cache-control')).toBe('private, max-age=3600');
    const own = await fetch(`${origin}/api/own-csp`);
    expect(own.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('sends the document set on pages, the callback and passed-through responses', async () => {
    const page = await fetch(`${origin}/`);
    expect(directives(page.headers.get('content-security-policy'))['frame-ancestors']).toBe("'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const callback = await fetch(`${origin}/oauth/openid/callback?code=c&state=s`, { redirect: 'manual' });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('referrer-policy')).toBe('no-referrer');
    expect(callback.headers.get('cache-control')).toBe('no-store');
    const proxied = await fetch(`${origin}/proxied`);
    expect(await proxied.text()).toBe('hello');
    expect(proxied.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends them on errors too', async () => {
    const res = await fetch(`${origin}/api/boom`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
