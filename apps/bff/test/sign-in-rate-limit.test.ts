/**
 * The sign-in rate limit as a client sees it: `/oauth/openid` and a callback that continues no
 * sign-in answer 429 `rate_limited` with `Retry-After` once an address has used its quota (a
 * whole sign-in counts once), and behind a trusted
 * reverse proxy (TRUST_PROXY) each client behind it has a quota of its own.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: HarnessOptions = {}) {
  harness = await createHarness({ signInRateLimit: { limit: 2, windowMs: 60_000 }, ...options });
  return harness;
}

/** A request as a script sends it (JSON errors), from one address unless `forwardedFor` says otherwise. */
function get(h: Harness, path: string, headers: Record<string, string> = {}) {
  return h.app.request(
    new Request(new URL(path, APP_ORIGIN), { headers: { accept: 'application/json', ...headers } }),
  );
}

async function expectRateLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(await response.json()).toMatchObject({ error: 'rate_limited' });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('sign-in rate limit (2 a minute in these tests)', () => {
  it('refuses the third sign-in start from one address with 429 rate_limited and Retry-After', async () => {
    const h = await start();
    for (let i = 0; i < 2; i += 1) {
      const response = await get(h, '/oauth/openid');
      expect(response.status).toBe(302);
      expect(new URL(response.headers.get('location') ?? '').origin).toBe(h.emulator.baseUrl);
    }
    await expectRateLimited(await get(h, '/oauth/openid'));
    // A person gets a page, with the same status and header.
    const page = await get(h, '/oauth/openid', { accept: 'text/html' });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await page.text()).toContain('Too many sign-in attempts');
  });

  it('counts a whole sign-in once: start and callback of two sign-ins fit a quota of two', async () => {
    const h = await start();
    for (const user of ['adele@contoso.test', 'megan@contoso.test']) {
      const end = await h.signIn(h.newBrowser(), user);
      expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    }
    await expectRateLimited(await get(h, '/oauth/openid'));
  });

  it('counts a callback that continues no sign-in (refused or restarted) as a sign-in of its own', async () => {
    const h = await start();
    const callback = `${new URL(h.config.redirectUri).pathname}?code=forged&state=forged`;
    for (let i = 0; i < 2; i += 1) {
      const response = await get(h, callback);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toContain('/sign-in-error');
    }
    await expectRateLimited(await get(h, callback));
  });

  it('behind a trusted proxy (TRUST_PROXY=1), gives each client its own quota', async () => {
    const h = await start({ env: { TRUST_PROXY: '1' } });
    const alice = { 'x-forwarded-for': '203.0.113.7' };
    // What Bob writes himself is left of what the proxy appended: it changes nothing.
    const bob = { 'x-forwarded-for': '203.0.113.7, 198.51.100.23' };
    expect((await get(h, '/oauth/openid', alice)).status).toBe(302);
    expect((await get(h, '/oauth/openid', alice)).status).toBe(302);
    await expectRateLimited(await get(h, '/oauth/openid', alice));
    expect((await get(h, '/oauth/openid', bob)).status).toBe(302);
    expect((await get(h, '/oauth/openid', bob)).status).toBe(302);
    await expectRateLimited(await get(h, '/oauth/openid', bob));
  });

  it('by default (TRUST_PROXY=0) ignores X-Forwarded-For, which any client can write, and warns once', async () => {
    const h = await start();
    expect((await get(h, '/oauth/openid', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(302);
    expect((await get(h, '/oauth/openid', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(302);
    await expectRateLimited(await get(h, '/oauth/openid', { 'x-forwarded-for': '203.0.113.9' }));
    const warnings = h.logs.filter((line) => line.includes('TRUST_PROXY is 0'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40 });
  });
});
