import { routes } from '@gatehouse/contracts';
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
const host = new URL(APP_ORIGIN).host;
const dialects = (await testDatabases()).map((d) => d.name);

describe('access tokens shorter than the 5-minute refresh margin', () => {
  it('serves a 2-minute token for its first half and refreshes it once in its second half', async () => {
    const h = await createHarness();
    harness = h;
    h.emulator.control.setAccessTokenLifetime(120);
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
    const sessionId = browser.cookies(host)['__Host-gatehouse']!;
    const first = (await h.store.get(sessionId))!.tokens;
    expect(first.accessTokenExpiresAt! - first.accessTokenIssuedAt!).toBe(120 * SECOND);
    h.emulator.control.resetCounters();

    // Ten calls over the first 55 seconds: the token has more than half its lifetime left.
    for (let i = 0; i < 10; i += 1) {
      expect((await h.api(browser, routes.session)).status).toBe(200);
      h.advance(5.5 * SECOND);
    }
    expect(refreshGrants(h)).toBe(0);

    h.advance(10 * SECOND); // 65 s in: less than half left
    for (let i = 0; i < 5; i += 1) expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(1);
    const second = (await h.store.get(sessionId))!.tokens;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.accessTokenIssuedAt).toBe(h.now());
  });

  it('refreshes a 60-second token once per half-lifetime, not on every call', async () => {
    const h = await createHarness();
    harness = h;
    h.emulator.control.setAccessTokenLifetime(60);
    const browser = h.newBrowser();
    await h.signIn(browser, 'adele@contoso.test');
    h.emulator.control.resetCounters();
    // 90 seconds of calls every 3 seconds: refreshes at about 30 s and 60 s (and maybe 90 s), never 30.
    for (let i = 0; i < 30; i += 1) {
      expect((await h.api(browser, routes.session)).status).toBe(200);
      h.advance(3 * SECOND);
    }
    expect(refreshGrants(h)).toBeGreaterThanOrEqual(2);
    expect(refreshGrants(h)).toBeLessThanOrEqual(3);
  });

  it('keeps the 5-minute margin for tokens an older build stored without an issue time', async () => {
    const h = await createHarness();
    harness = h;
    h.emulator.control.setAccessTokenLifetime(10 * 60);
    const browser = h.newBrowser();
    await h.signIn(browser, 'adele@contoso.test');
    const sessionId = browser.cookies(host)['__Host-gatehouse']!;
    const { accessTokenIssuedAt: _dropped, ...olderTokens } = (await h.store.get(sessionId))!.tokens;
    await h.store.update(sessionId, { tokens: olderTokens });
    h.emulator.control.resetCounters();

    h.advance(4 * 60 * SECOND); // 6 minutes left: fresh by either rule
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(0);
    h.advance(2 * 60 * SECOND); // 4 minutes left: due by the fixed margin
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(1);
    expect((await h.store.get(sessionId))!.tokens.accessTokenIssuedAt).toBe(h.now());
  });
});

describe.each(dialects)('single flight for any token lifetime over two instances (%s)', (dialect) => {
  it.each([60, 5])(
    '100 concurrent requests on an expired %i-second token → one refresh grant, even when the new token is due on arrival',
    async (lifetimeSeconds) => {
      // A slow token endpoint (300 ms), so every request has read the expired session before the
      // first refresh ends.
      const h = await createHarness({
        database: dialect,
        instances: 2,
        providerFetch: (emulator) => async (request) => {
          if ((await request.clone().text()).includes('grant_type=refresh_token')) {
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          return emulator.fetch(request);
        },
      });
      harness = h;
      // Then time passes between the first instance storing the new token (it logs "session tokens
      // refreshed" inside the lock) and the other instance reading it: 60 % of the lifetime, so the
      // token the other one reads already has less than half its lifetime left — due, yet new.
      const push = h.logs.push.bind(h.logs);
      let advanced = false;
      h.logs.push = (...lines: string[]) => {
        if (!advanced && lines.some((line) => line.includes('session tokens refreshed'))) {
          advanced = true;
          h.advance(lifetimeSeconds * 600);
        }
        return push(...lines);
      };
      h.emulator.control.setAccessTokenLifetime(lifetimeSeconds);
      // Requests alternate between the instances, as behind a round-robin load balancer.
      const browser = h.newBrowser({ instance: (n) => n });
      expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
      h.emulator.control.resetCounters();

      h.advance((lifetimeSeconds + 1) * SECOND); // expired
      const responses = await Promise.all(Array.from({ length: 100 }, () => h.api(browser, routes.session)));
      expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      // The session's own token was redeemed once. (After the jump the Graph token minted with it is
      // due as well, and the sharing hook that runs after a refresh may mint a new one: not counted.)
      expect(h.logs.filter((line) => line.includes('session tokens refreshed'))).toHaveLength(1);
    },
  );
});
