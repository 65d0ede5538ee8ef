import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

/** The app: the project's `baseURL` when it sets one (`smoke-nginx`: nginx), else the e2e stack. */
export const appUrl = () => {
  const url = base.info().project.use.baseURL ?? process.env.GATEHOUSE_E2E_URL;
  if (!url) throw new Error('GATEHOUSE_E2E_URL is not set: run the e2e tests through playwright.config.ts.');
  return url;
};

export const DEMO_PASSWORD = 'Passw0rd!';

/** Fills the emulator's sign-in page, which uses Entra's own field names. */
export async function signInAtProvider(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.locator('input[name=loginfmt]').fill(username);
  await page.locator('input[name=passwd]').fill(password);
  await page.locator('#idSIButton9').click();
}

/**
 * Signs `username` in from the app's sign-in page through the emulator, ending on the conversations
 * list (`path`, default `/conversations`). `baseUrl` for callers outside the e2e run (the bench).
 */
export async function signInAs(
  page: Page,
  username: string,
  options: { path?: string; baseUrl?: string } = {},
) {
  await page.goto(`${options.baseUrl ?? appUrl()}${options.path ?? '/conversations'}`);
  await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
  await signInAtProvider(page, username);
  await expect(page.getByRole('heading', { level: 1, name: 'Conversations' })).toBeVisible();
}

const screenshotDir = resolve(import.meta.dirname, '..', 'screenshots');

/** Full-page screenshot for a human to look at (`screenshots/<name>.png`, not committed). */
export async function snap(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Everything the page's JavaScript can read that could hold a secret. */
export async function browserVisibleState(page: Page) {
  return page.evaluate(() => ({
    cookies: document.cookie,
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));
}

export const test = base;
export { expect };
