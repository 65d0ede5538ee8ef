import { appUrl, browserVisibleState, expect, signInAtProvider, snap, test } from '../support/fixtures';

test.describe('signing in with the Entra emulator', () => {
  test('Adele signs in, stays signed in across a reload, and signs out', async ({ page, context }) => {
    await page.goto(`${appUrl()}/`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await expect(page.locator('input[name=loginfmt]')).toBeVisible();
    await snap(page, 'provider-sign-in');
    await signInAtProvider(page, 'adele@contoso.test');

    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome, Adele');
    await expect(page.getByRole('button', { name: 'Adele Vance', exact: true })).toBeVisible();
    await snap(page, 'home-signed-in');

    // The session cookie is __Host-, HttpOnly, Secure, Lax; nothing else holds a credential.
    const cookies = await context.cookies(appUrl());
    const session = cookies.find((c) => c.name === '__Host-gatehouse');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    const visible = await browserVisibleState(page);
    expect(visible.cookies).toBe('');
    expect(visible.local).toEqual({});
    expect(visible.session).toEqual({});
    expect(JSON.stringify(visible)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT anywhere

    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome, Adele');

    const sessionBefore = await page.request.get(`${appUrl()}/api/auth/session`, {
      headers: { 'X-CSRF': '1' },
    });
    expect(sessionBefore.status()).toBe(200);
    const body = await sessionBefore.text();
    expect(body).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);

    await page.getByRole('button', { name: 'Adele Vance', exact: true }).click();
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/, { timeout: 15_000 });
    // It went through the provider's end-session page (which ends the SSO session and loads the
    // front-channel logout URL), named by Entra's opaque logout_hint: no ID token in the URL.
    const endSession = visited.find((url) => url.includes('/oauth2/v2.0/logout'));
    expect(endSession).toBeDefined();
    expect(new URL(endSession!).searchParams.get('logout_hint')).toBeTruthy();
    expect(endSession).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    await expect(page.getByText("You've signed out")).toBeVisible();
    await snap(page, 'signed-out');
    await expect(page.getByRole('button', { name: 'Continue with Microsoft' })).toBeVisible();

    // The old cookie no longer opens a session.
    const replay = await page.request.get(`${appUrl()}/api/auth/session`, {
      headers: { 'X-CSRF': '1', Cookie: `__Host-gatehouse=${session?.value}` },
    });
    expect(replay.status()).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'login_required' });
  });

  test('Alex, without the app role, is refused and told which role is missing', async ({ page, context }) => {
    await page.goto(`${appUrl()}/`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await signInAtProvider(page, 'alex@contoso.test');

    await expect(page).toHaveURL(/\/access-denied/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to Gatehouse");
    await expect(page.getByText('Gatehouse.User').first()).toBeVisible();
    await snap(page, 'access-denied');

    const cookies = await context.cookies(appUrl());
    expect(cookies.find((c) => c.name === '__Host-gatehouse')).toBeUndefined();
    const session = await page.request.get(`${appUrl()}/api/auth/session`, { headers: { 'X-CSRF': '1' } });
    expect(session.status()).toBe(401);
  });

  test('a deep link opened while signed out returns to that link after sign-in', async ({ page }) => {
    await page.goto(`${appUrl()}/conversations`);
    await expect(page).toHaveURL(/\/login\?returnTo=%2Fconversations/);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await signInAtProvider(page, 'adele@contoso.test');
    await expect(page).toHaveURL(`${appUrl()}/conversations`);
  });

  test('an API call without the X-CSRF header is refused', async ({ request }) => {
    const response = await request.get(`${appUrl()}/api/auth/session`);
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'csrf' });
  });
});

test('signing out in one tab signs out the other tabs at once', async ({ context }) => {
  const first = await context.newPage();
  await first.goto(`${appUrl()}/`);
  await first.getByRole('button', { name: 'Continue with Microsoft' }).click();
  await signInAtProvider(first, 'adele@contoso.test');
  await expect(first.getByRole('heading', { level: 1 })).toContainText('Welcome, Adele');

  const second = await context.newPage();
  await second.goto(`${appUrl()}/conversations`);
  await expect(second.getByRole('button', { name: 'Adele Vance', exact: true })).toBeVisible();

  await first.getByRole('button', { name: 'Adele Vance', exact: true }).click();
  await first.getByRole('button', { name: 'Sign out' }).click();

  // The other tab learns it over BroadcastChannel, says why, and keeps its route for signing in again.
  await expect(second.getByText('You signed out in another tab or window.')).toBeVisible();
  await expect(second).toHaveURL(`${appUrl()}/conversations`);
  await snap(second, 'signed-out-in-another-tab');
});
