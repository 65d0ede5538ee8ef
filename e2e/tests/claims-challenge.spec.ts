import { appUrl, expect, signInAs, signInAtProvider, test } from '../support/fixtures';

/** The emulator's control API (JSON only: see control-routes.ts). */
async function control(path: string, init: { method: string; body?: unknown }) {
  const base = process.env.GATEHOUSE_E2E_EMULATOR_URL;
  if (!base) throw new Error('GATEHOUSE_E2E_EMULATOR_URL is not set: run through playwright.config.ts.');
  const response = await fetch(`${base}/_emulator${path}`, {
    method: init.method,
    headers: { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) throw new Error(`${init.method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

/**
 * Conditional Access in Chromium: the provider demands a step-up while the user works; the SPA sends
 * them through sign-in with the claims the BFF kept, and they end on the route where it began.
 */
test.describe('a Conditional Access claims challenge', () => {
  test.describe.configure({ timeout: 60_000 });
  let lifetime: unknown;

  test.beforeEach(async () => {
    lifetime = (await control('/settings', { method: 'GET' })).accessTokenLifetimeSeconds;
    // 4-second tokens: due for a refresh (half their lifetime) 2 seconds after they are issued.
    await control('/settings', { method: 'POST', body: { accessTokenLifetimeSeconds: 4 } });
  });
  test.afterEach(async () => {
    await control('/faults', { method: 'DELETE' });
    await control('/settings', { method: 'POST', body: { accessTokenLifetimeSeconds: lifetime } });
  });

  test('step-up from a claims challenge ends on the route where it began', async ({ page }) => {
    const route = '/conversations?tab=shared';
    await signInAs(page, 'adele@contoso.test', { path: route });
    await control('/faults', { method: 'POST', body: { route: 'token', demandClaims: 'c1' } });

    const authorizeClaims: (string | null)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/oauth2/v2.0/authorize'))
        authorizeClaims.push(url.searchParams.get('claims'));
    });
    await page.waitForTimeout(2500); // the session's token is now due
    await page.reload(); // the session check refreshes and meets the demand
    await page.getByRole('button', { name: /Continue with|Sign in again/ }).click();
    // The step-up asks the user again (the provider's session alone does not meet it).
    await signInAtProvider(page, 'adele@contoso.test');

    await expect(page.getByRole('heading', { level: 1, name: 'Conversations' })).toBeVisible();
    expect(page.url()).toBe(`${appUrl()}${route}`);
    expect(authorizeClaims).toHaveLength(1);
    expect(JSON.parse(authorizeClaims[0] ?? 'null')).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' }, xms_cc: { values: ['cp1'] } },
    });
    expect((await control('/faults', { method: 'GET' })).faults).toEqual([]);
  });
});
