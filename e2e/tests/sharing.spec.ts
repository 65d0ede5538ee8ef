import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { appUrl, expect, signInAs, snap, test } from '../support/fixtures';

/** Serious and critical accessibility violations on the page as it is now (axe-core, WCAG 2.x A/AA). */
async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function signOut(page: Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/, { timeout: 15_000 });
}

test.describe('sharing a conversation with an Entra group', () => {
  test('Megan shares with Marketing using only the keyboard; Adele, a member, reads it but cannot post', async ({
    page,
  }) => {
    test.setTimeout(120_000); // two sign-ins and six axe scans on a busy 2-core machine
    const title = `Q3 launch plan ${Date.now().toString(36)}`;

    // ── Megan: create a conversation and post, from the keyboard ────────────────────────────────
    await signInAs(page, 'megan@contoso.test');
    await snap(page, 'conversations-empty');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('New conversation').focus();
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await page.getByPlaceholder('Write a message…').focus();
    await page.keyboard.type('Draft agenda: goals, budget, dates.');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Draft agenda: goals, budget, dates.')).toBeVisible();
    await snap(page, 'conversation-owner');
    expect(await seriousViolations(page)).toEqual([]);

    // ── The share dialog: Tab to Share, type, arrow to Marketing, Enter, Tab to Save ──────────────
    await page.getByRole('button', { name: 'Share' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Share “${title}”` });
    await expect(dialog).toBeVisible({ timeout: 15_000 }); // the dialog is a lazy chunk
    const picker = dialog.getByRole('combobox', { name: 'Add people and groups' });
    await expect(picker).toBeFocused();
    await page.keyboard.type('Marketing');
    const listbox = page.getByRole('listbox', { name: 'People and groups' });
    const marketing = listbox.getByRole('option', { name: /^Marketing\b(?! EU)/ });
    await expect(marketing).toBeVisible({ timeout: 10_000 });
    await snap(page, 'share-dialog-results');
    expect(await seriousViolations(page, '[role=dialog]')).toEqual([]);

    // Arrow down until the active option is Marketing (not Marketing EU), then Enter.
    for (let step = 0; step < 10; step += 1) {
      await page.keyboard.press('ArrowDown');
      const active = await picker.getAttribute('aria-activedescendant');
      if (active && active === (await marketing.getAttribute('id'))) break;
    }
    await expect(picker).toHaveAttribute('aria-activedescendant', (await marketing.getAttribute('id')) ?? '');
    await page.keyboard.press('Enter');
    const chips = dialog.getByRole('list', { name: 'To be added' });
    await expect(chips.getByRole('listitem')).toHaveText(/Marketing/);
    await expect(
      dialog.getByRole('combobox', { name: 'Role for the people and groups you add' }),
    ).toHaveValue('viewer');
    for (let step = 0; step < 30; step += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Save') break;
    }
    await snap(page, 'share-dialog-ready');
    await page.keyboard.press('Enter');
    await expect(dialog.getByText(/Sharing saved/)).toBeVisible();
    await expect(dialog.getByRole('combobox', { name: 'Role for Marketing' })).toHaveValue('viewer');
    await snap(page, 'share-dialog-saved');
    expect(await seriousViolations(page, '[role=dialog]')).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    const conversationUrl = page.url();
    await signOut(page, 'Megan Bowen');

    // ── Adele (member of Marketing): sees it under "Shared with me", read-only ──────────────────
    await signInAs(page, 'adele@contoso.test', { path: '/conversations?filter=shared' });
    const shared = page.getByRole('link', { name: new RegExp(title) });
    await expect(shared).toBeVisible();
    await snap(page, 'conversations-shared-with-me');
    expect(await seriousViolations(page)).toEqual([]);
    await shared.click();
    await expect(page).toHaveURL(conversationUrl);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByText('Draft agenda: goals, budget, dates.')).toBeVisible();
    await expect(page.getByText(/You’re a viewer/)).toBeVisible();
    await expect(page.getByPlaceholder('Write a message…')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Share' })).toHaveCount(0);
    await snap(page, 'conversation-viewer');
    expect(await seriousViolations(page)).toEqual([]);

    // The server agrees: a viewer's post is refused, whatever the page shows.
    const id = new URL(conversationUrl).pathname.split('/').pop();
    const post = await page.request.post(`${appUrl()}/api/conversations/${id}/messages`, {
      headers: { 'X-CSRF': '1', Origin: appUrl(), 'Content-Type': 'application/json' },
      data: { text: 'I should not be able to post this' },
    });
    expect(post.status()).toBe(403);
    expect(await post.json()).toMatchObject({ error: 'forbidden' });
  });
});
