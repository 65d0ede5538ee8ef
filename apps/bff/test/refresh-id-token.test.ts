import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import { idTokenTamperings } from '@gatehouse/entra-emulator';
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
const host = new URL(APP_ORIGIN).host;
const dialects = (await testDatabases()).map((d) => d.name);

describe.each(dialects)('a refresh whose ID token fails validation ends the session (%s)', (dialect) => {
  it.each(idTokenTamperings)(
    '%s: 401 login_required id_token_invalid, session deleted, logged as a security event',
    async (tampering) => {
      const h = await createHarness({ database: dialect });
      harness = h;
      h.emulator.control.setAccessTokenLifetime(10 * 60);
      const browser = h.newBrowser();
      expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
      const sessionId = browser.cookies(host)['__Host-gatehouse']!;
      h.emulator.control.resetCounters();
      h.emulator.control.fault({ route: 'token', grantType: 'refresh_token', idToken: tampering, count: 1 });
      const tokenResponses = h.secrets.size;

      h.advance(6 * MINUTE); // the refresh is due
      const answer = await h.api(browser, routes.session);
      expect(answer.status).toBe(401);
      expect((await answer.json()) as ApiErrorBody).toMatchObject({
        error: 'login_required',
        reason: 'id_token_invalid',
      });
      expect(refreshGrants(h)).toBe(1);
      // The session is gone (with the refresh token of the tampered response, never stored) and so is the cookie.
      expect(await h.store.get(sessionId)).toBeUndefined();
      expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
      expect(h.secrets.size).toBeGreaterThan(tokenResponses); // the provider did hand out new tokens…

      // …and the next call asks the provider nothing: it is a signed-out request.
      const next = await h.api(browser, routes.session);
      expect(next.status).toBe(401);
      expect(refreshGrants(h)).toBe(1);

      const security = h.logs
        .map((line) => JSON.parse(line) as { level: number; event?: string; msg: string })
        .filter((entry) => entry.event === 'security');
      expect(security).toHaveLength(1);
      expect(security[0]!.level).toBeGreaterThanOrEqual(40); // warn or error
      expect(security[0]!.msg).toMatch(/ID token failed validation/);
      for (const line of h.logs) {
        for (const secret of h.secrets) expect(line.includes(secret), 'a token in a log line').toBe(false);
      }
    },
  );
});
