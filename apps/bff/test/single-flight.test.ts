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
      // On failure, say what happened: which answers were not 200 (status and error code, counted)
      // and how many refreshes the provider saw, so a flaky run explains itself.
      const failures = new Map<string, number>();
      for (const response of responses) {
        if (response.status === 200) continue;
        const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
        const key = `${response.status} ${body.error ?? '?'}${body.reason ? `/${body.reason}` : ''}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      const refreshes = refreshGrants(h);
      const summary = `${dialect}, ${count} instance(s): ${refreshes} refresh(es); not 200: ${
        failures.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(failures))
      }`;
      expect(Object.fromEntries(failures), summary).toEqual({});
      expect(refreshes, summary).toBe(1);
    },
  );
});
