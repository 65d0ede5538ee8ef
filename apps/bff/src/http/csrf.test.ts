import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { csrf } from './csrf';
import { errorHandler } from './error-handler';

const app = new Hono();
// The middleware throws; the app's error handler renders the 401.
app.onError(errorHandler({ log: { warn() {}, error() {} } }));
app.use('/api/*', csrf({ allowedOrigins: ['https://bff.example', 'https://spa.example/'] }));
app.get('/api/thing', (c) => c.json({ ok: true }));
app.post('/api/thing', (c) => c.json({ ok: true }));
app.delete('/api/thing', (c) => c.json({ ok: true }));
app.get('/oauth/openid', (c) => c.text('login'));

type Case = [string, string, Record<string, string>, number, string | undefined];

describe('csrf', () => {
  it.each<Case>([
    ['GET with the header', 'GET', { 'x-csrf': '1' }, 200, undefined],
    ['GET without the header', 'GET', {}, 401, 'missing_header'],
    ['GET with a wrong header value', 'GET', { 'x-csrf': 'true' }, 401, 'missing_header'],
    [
      'POST without the header, from our own origin',
      'POST',
      { origin: 'https://bff.example' },
      401,
      'missing_header',
    ],
    ['POST from the server origin', 'POST', { 'x-csrf': '1', origin: 'https://bff.example' }, 200, undefined],
    ['POST from the client origin', 'POST', { 'x-csrf': '1', origin: 'https://spa.example' }, 200, undefined],
    [
      'POST from another origin',
      'POST',
      { 'x-csrf': '1', origin: 'https://evil.example' },
      401,
      'cross_site',
    ],
    [
      'POST from a look-alike origin',
      'POST',
      { 'x-csrf': '1', origin: 'https://bff.example.evil.example' },
      401,
      'cross_site',
    ],
    [
      'POST from another port',
      'POST',
      { 'x-csrf': '1', origin: 'https://bff.example:8443' },
      401,
      'cross_site',
    ],
    ['POST from an opaque origin', 'POST', { 'x-csrf': '1', origin: 'null' }, 401, 'cross_site'],
    [
      'DELETE from another origin',
      'DELETE',
      { 'x-csrf': '1', origin: 'https://evil.example' },
      401,
      'cross_site',
    ],
    [
      'POST, Sec-Fetch-Site same-origin',
      'POST',
      { 'x-csrf': '1', 'sec-fetch-site': 'same-origin' },
      200,
      undefined,
    ],
    ['POST, Sec-Fetch-Site none', 'POST', { 'x-csrf': '1', 'sec-fetch-site': 'none' }, 200, undefined],
    [
      'POST, Sec-Fetch-Site same-site',
      'POST',
      { 'x-csrf': '1', 'sec-fetch-site': 'same-site' },
      401,
      'cross_site',
    ],
    [
      'POST, Sec-Fetch-Site cross-site',
      'POST',
      { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' },
      401,
      'cross_site',
    ],
    [
      'POST whose allowed Origin wins over Sec-Fetch-Site',
      'POST',
      { 'x-csrf': '1', origin: 'https://spa.example', 'sec-fetch-site': 'same-site' },
      200,
      undefined,
    ],
    ['POST from a non-browser client (neither header)', 'POST', { 'x-csrf': '1' }, 200, undefined],
    [
      'GET from another origin (no state change)',
      'GET',
      { 'x-csrf': '1', origin: 'https://evil.example' },
      200,
      undefined,
    ],
  ])('%s → %i', async (_name, method, headers, status, reason) => {
    const res = await app.request('/api/thing', { method, headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    if (reason) {
      expect(await res.json()).toEqual({ error: 'csrf', reason, message: expect.any(String) });
    }
  });

  it('leaves routes outside /api alone', async () => {
    expect((await app.request('/oauth/openid')).status).toBe(200);
  });

  describe('navigable GETs (a download link, EventSource)', () => {
    const nav = new Hono();
    nav.onError(errorHandler({ log: { warn() {}, error() {} } }));
    nav.use(
      '/api/*',
      csrf({ allowedOrigins: ['https://bff.example'], navigableGets: [/^\/api\/files\/[^/]+\/content$/] }),
    );
    nav.get('/api/files/:id/content', (c) => c.text('bytes'));
    nav.delete('/api/files/:id/content', (c) => c.text('deleted'));
    nav.get('/api/files/:id', (c) => c.json({ ok: true }));

    it.each<[string, string, string, Record<string, string>, number]>([
      ['our own link', 'GET', '/api/files/1/content', { 'sec-fetch-site': 'same-origin' }, 200],
      ['a typed URL or bookmark', 'GET', '/api/files/1/content', { 'sec-fetch-site': 'none' }, 200],
      ['a link on another site', 'GET', '/api/files/1/content', { 'sec-fetch-site': 'cross-site' }, 401],
      ['a sibling subdomain', 'GET', '/api/files/1/content', { 'sec-fetch-site': 'same-site' }, 401],
      ['no Sec-Fetch-Site at all', 'GET', '/api/files/1/content', {}, 401],
      [
        'another method on the same path',
        'DELETE',
        '/api/files/1/content',
        { 'sec-fetch-site': 'same-origin' },
        401,
      ],
      ['a path not on the list', 'GET', '/api/files/1', { 'sec-fetch-site': 'same-origin' }, 401],
      [
        'the header still works',
        'GET',
        '/api/files/1/content',
        { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' },
        200,
      ],
    ])('%s → %i', async (_name, method, path, headers, status) => {
      expect((await nav.request(path, { method, headers })).status).toBe(status);
    });
  });

  it('refuses to start without allowed origins', () => {
    expect(() => csrf({ allowedOrigins: [] })).toThrow(TypeError);
    expect(() => csrf({ allowedOrigins: ['not a url'] })).toThrow(/not an absolute URL/);
  });
});
