import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../src/db/test-databases';
import { APP_ORIGIN, createHarness, type Harness, refreshGrants } from './harness';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const host = new URL(APP_ORIGIN).host;
const dialects = (await testDatabases()).map((d) => d.name);

/**
 * Signed in with 10-minute tokens, then past their expiry (a token that is only due keeps serving
 * while the provider is down: session.test.ts).
 */
async function dueForRefresh(options: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness(options);
  harness = h;
  h.emulator.control.setAccessTokenLifetime(10 * 60);
  const browser = h.newBrowser({ instance: (n) => n });
  expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
  h.emulator.control.resetCounters();
  h.advance(11 * MINUTE);
  return { h, browser, sessionId: browser.cookies(host)['__Host-gatehouse']! };
}

describe.each(dialects)('a failing refresh is not retried on every call (%s)', (dialect) => {
  it('six calls in 100 ms after temporarily_unavailable → one refresh request, 503 with Retry-After, then recovers', async () => {
    const { h, browser, sessionId } = await dueForRefresh({ database: dialect });
    h.emulator.control.fault({ route: 'token', grantType: 'refresh_token', status: 503 });

    const answers: Response[] = [];
    for (let i = 0; i < 6; i += 1) {
      answers.push(await h.api(browser, routes.session));
      h.advance(20); // six calls within 100 ms
    }
    expect(refreshGrants(h)).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as ApiErrorBody).error).toBe('provider_unavailable');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(await h.store.get(sessionId)).toBeDefined(); // the session is kept

    // The back-off grows: the second failure waits longer than the first.
    h.advance(SECOND);
    const second = await h.api(browser, routes.session);
    expect(second.status).toBe(503);
    expect(refreshGrants(h)).toBe(2);
    expect(Number(second.headers.get('retry-after'))).toBe(2);
    expect((await h.api(browser, routes.session)).status).toBe(503);
    expect(refreshGrants(h)).toBe(2);

    // The provider is back: after the wait, one refresh and the call succeeds.
    h.emulator.control.clearFaults();
    h.advance(2 * SECOND);
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(3);
    expect(await h.store.refreshBackoff(sessionId)).toBeUndefined();
  });

  it("honours the token endpoint's Retry-After, and concurrent callers share one attempt", async () => {
    const { h, browser } = await dueForRefresh({ database: dialect });
    h.emulator.control.fault({ route: 'token', grantType: 'refresh_token', status: 429, retryAfter: 20 });

    const burst = await Promise.all(Array.from({ length: 20 }, () => h.api(browser, routes.session)));
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(503));
    expect(refreshGrants(h)).toBe(1);
    expect(burst.map((r) => r.headers.get('retry-after'))).toContain('20');

    h.advance(10 * SECOND); // still inside the provider's 20 s
    const waiting = await h.api(browser, routes.session);
    expect(waiting.status).toBe(503);
    expect(waiting.headers.get('retry-after')).toBe('10');
    expect(refreshGrants(h)).toBe(1);

    h.emulator.control.clearFaults();
    h.advance(10 * SECOND);
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(2);
  });

  it('another BFF instance waits out the same back-off (shared through the database)', async () => {
    const { h, browser } = await dueForRefresh({ database: dialect, instances: 2 });
    h.emulator.control.fault({ route: 'token', grantType: 'refresh_token', status: 503, retryAfter: 5 });
    // The browser alternates between the instances: the first call fails on one, the next goes to the other.
    expect((await h.api(browser, routes.session)).status).toBe(503);
    const other = await h.api(browser, routes.session);
    expect(other.status).toBe(503);
    expect(other.headers.get('retry-after')).toBe('5');
    expect(refreshGrants(h)).toBe(1);
  });

  it('a Graph route on a session in back-off answers 503 with Retry-After without asking the provider', async () => {
    const { h, browser } = await dueForRefresh({ database: dialect });
    h.emulator.control.fault({ route: 'token', grantType: 'refresh_token', status: 503 });
    expect((await h.api(browser, routes.session)).status).toBe(503);
    const photo = await h.api(browser, '/api/me/photo');
    expect(photo.status).toBe(503);
    expect(photo.headers.get('retry-after')).toBe('1');
    expect(refreshGrants(h)).toBe(1);
  });
});
