import { appUrl, expect, snap, test } from '../support/fixtures';

test('the SPA served by the BFF shows the Gatehouse sign-in page', async ({ page }) => {
  const response = await page.goto(`${appUrl()}/`);
  expect(response?.status()).toBe(200);
  // The production CSP comes with the page (script-src 'self', no framing).
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");

  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/sign in/i);
  await expect(page.getByRole('button', { name: 'Continue with Microsoft' })).toBeVisible();
  await snap(page, 'login');
});
