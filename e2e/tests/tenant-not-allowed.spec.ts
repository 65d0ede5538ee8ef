import AxeBuilder from '@axe-core/playwright';
import { appUrl, expect, snap, test } from '../support/fixtures';

/**
 * The access-denied page for an organisation that is not in OPENID_ALLOWED_TENANTS, in the production
 * bundle. The whole refusal (an `organizations` issuer, a Fabrikam user, no session) needs the
 * provider at https://login.microsoftonline.com, where openid-client ties the `{tenantid}` issuer to
 * each token's `tid`: a browser here cannot reach it, so the BFF integration test
 * `apps/bff/test/multi-tenant.test.ts` walks that flow. Here the callback's answer to the browser is
 * played back (its redirect and the denial cookie it sets, `auth/access-denied.ts`:
 * `__Host-gatehouse-denied`, base64url JSON), and the real BFF and SPA take it from there: the page
 * learns the organisation from `GET /api/auth/access-denied`, as after a real refusal.
 */
const FABRIKAM = '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21';

test('an organisation that is not allowed is named, with whom to ask', async ({ page }) => {
  // The callback's answer, as far as the browser is concerned: the same Set-Cookie from the app's origin.
  const denial = { tenant: { tenantId: FABRIKAM, domain: 'fabrikam.onmicrosoft.com' } };
  const cookie = Buffer.from(JSON.stringify(denial)).toString('base64url');
  await page.route(`${appUrl()}/oauth/openid/callback*`, (route) =>
    route.fulfill({
      status: 302,
      headers: {
        location: `${appUrl()}/access-denied`,
        'set-cookie': `__Host-gatehouse-denied=${cookie}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax`,
      },
    }),
  );
  await page.goto(`${appUrl()}/oauth/openid/callback?code=x&state=y`);
  await expect(page).toHaveURL(`${appUrl()}/access-denied`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to Gatehouse");
  await expect(page.getByText(/your organisation isn't one of the organisations allowed/)).toBeVisible();
  await expect(page.getByText('fabrikam.onmicrosoft.com')).toBeVisible();
  await expect(page.getByText(FABRIKAM)).toBeVisible();
  await expect(page.getByText(/Ask your IT administrator/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in as someone else' })).toBeVisible();
  await snap(page, 'access-denied-tenant');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  // The page's own script cannot read the denial (HttpOnly), nor is there a session.
  expect(await page.evaluate(() => document.cookie)).not.toContain('gatehouse-denied');
  const session = await page.request.get(`${appUrl()}/api/auth/session`, { headers: { 'X-CSRF': '1' } });
  expect(session.status()).toBe(401);
});

test('a crafted link cannot name an organisation', async ({ page }) => {
  await page.goto(`${appUrl()}/access-denied?tenant=${FABRIKAM}&domain=evil.example`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to Gatehouse");
  await expect(page.getByText('A role set by your administrator')).toBeVisible();
  await expect(page.getByText(/evil\.example/)).toHaveCount(0);
  await expect(page.getByText(FABRIKAM)).toHaveCount(0);
});
