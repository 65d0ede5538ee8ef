import AxeBuilder from '@axe-core/playwright';
import { expect, signInAtProvider, snap, test } from '../support/fixtures';
import { type Stack, startStack } from '../support/stack';

/**
 * Gatehouse requiring a group by its display name (`OPENID_REQUIRED_ROLE=Marketing EU` read from
 * Entra's groups claim): its own BFF, which resolves the name through the emulator's Graph at start.
 */
let stack: Stack;
// A BFF of its own, started here; the shared CI machine is slow at times.
test.describe.configure({ timeout: 60_000 });
test.beforeAll(async () => {
  stack = await startStack({
    env: {
      OPENID_REQUIRED_ROLE: 'Marketing EU',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
    },
  });
});
test.afterAll(async () => {
  await stack?.close();
});

test.describe('a group required by display name', () => {
  test('Alex, not in the group, is refused and told which group to join', async ({ page }) => {
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await signInAtProvider(page, 'alex@contoso.test');

    await expect(page).toHaveURL(`${stack.appUrl}/access-denied`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to Gatehouse");
    const groups = page.getByRole('list', { name: 'Required groups' });
    await expect(groups.getByRole('listitem')).toHaveText(['Marketing EU']);
    await expect(page.getByText('Required group', { exact: true })).toBeVisible();
    await expect(page.getByText(/add you to this group/)).toBeVisible();
    await snap(page, 'access-denied-group');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);

    const session = await page.request.get(`${stack.appUrl}/api/auth/session`, {
      headers: { 'X-CSRF': '1' },
    });
    expect(session.status()).toBe(401);
  });

  test('a crafted access-denied link cannot put its own words on the page', async ({ page }) => {
    await page.goto(`${stack.appUrl}/access-denied?groups=Call%20the%20helpdesk%20at%20555%200100`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to Gatehouse");
    await expect(page.getByText('A role set by your administrator')).toBeVisible();
    await expect(page.getByText(/helpdesk/)).toHaveCount(0);
  });

  test('Enrico, a member of Marketing EU, signs in', async ({ page }) => {
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await signInAtProvider(page, 'enrico@contoso.test');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome, Enrico');
  });
});
