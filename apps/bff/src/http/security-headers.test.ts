import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
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
