import { routes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../src/db/test-databases';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MINUTE = 60_000;
const dialects = (await testDatabases()).map((d) => d.name);

describe.each(dialects)('200 concurrent requests with an expired access token (%s)', (dialect) => {
  it.each([1, 2])(
    'redeem the refresh token exactly once with %i BFF instance(s) on one database',
    async (count) => {
      const h = await createHarness({ database: dialect, instances: count });
      harness = h;
      h.emulator.control.setAccessTokenLifetime(10 * 60);
      // Requests alternate between the instances, as behind a load balancer.
      const browser = h.newBrowser({ instance: (n) => n });
      const end = await h.signIn(browser, 'adele@contoso.test');
      expect(end.url.href).toBe(`${APP_ORIGIN}/`);
      h.emulator.control.resetCounters();

      h.advance(11 * MINUTE); // the access token has expired
      const responses = await Promise.all(Array.from({ length: 200 }, () => h.api(browser, routes.session)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(h.emulator.control.counters().token.refresh_token?.[h.config.OPENID_CLIENT_ID]).toBe(1);
    },
  );
});
