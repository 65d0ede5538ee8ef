import { appUrl, expect, signInAtProvider, test } from '../support/fixtures';

/**
 * A login that recovers by itself, in Chromium: the browser lost its login transaction while on the
 * provider's page (a bookmarked sign-in page, a sign-in finished in another tab), and the callback
 * starts the sign-in again once instead of showing an error.
 */
test.describe('a sign-in whose login transaction is gone', () => {
  // Two round trips through the provider; the shared CI machine is slow at times.
  test.describe.configure({ timeout: 60_000 });

  test('restarts once and lands signed in, without an error page', async ({ page, context }) => {
    await page.goto(`${appUrl()}/`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await expect(page.locator('input[name=loginfmt]')).toBeVisible();
    await context.clearCookies({ name: /^__Host-gatehouse-tx-/ });

    const callbacks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/oauth/openid/callback')) callbacks.push(request.url());
    });
    await signInAtProvider(page, 'adele@contoso.test');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome, Adele');
    expect(callbacks).toHaveLength(2);
    expect(new URL(callbacks[1]!).searchParams.get('state')).toMatch(/\.restart$/);
    expect((await context.cookies(appUrl())).some((c) => c.name.startsWith('__Host-gatehouse-tx-'))).toBe(
      false,
    );
  });
});
