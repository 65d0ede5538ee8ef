/** `prompt` on `GET /oauth/openid`: `none` signs in silently or lands on the login page; unknown values are refused. */
import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const host = new URL(APP_ORIGIN).host;
const loginUrl = (query: Record<string, string>) => {
  const url = new URL(routes.login, APP_ORIGIN);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
};

describe('prompt=none', () => {
  it('without a session at the provider lands on the login page with the answer, not on an error page', async () => {
    const h = await createHarness();
    harness = h;
    const browser = h.newBrowser();
    const end = await browser.navigate(loginUrl({ prompt: 'none', returnTo: '/conversations' }));
    expect(end.url.origin + end.url.pathname).toBe(`${APP_ORIGIN}/login`);
    expect(Object.fromEntries(end.url.searchParams)).toEqual({
      returnTo: '/conversations',
      silentSignIn: 'login_required',
    });
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
    expect(h.logs.some((line) => line.includes('silent sign-in (prompt=none) needs the user'))).toBe(true);
  });

  it('with a session at the provider signs in without a page, back to returnTo', async () => {
    const h = await createHarness();
    harness = h;
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
    const first = browser.cookies(host)['__Host-gatehouse'];

    const end = await browser.navigate(loginUrl({ prompt: 'none', returnTo: '/conversations' }));
    expect(end.url.href).toBe(`${APP_ORIGIN}/conversations`);
    const second = browser.cookies(host)['__Host-gatehouse'];
    expect(second).toBeDefined();
    expect(second).not.toBe(first); // a sign-in rotates the session id
    expect((await h.api(browser, routes.session)).status).toBe(200);
  });

  it('an interactive sign-in that the provider refuses the same way still shows the error page', async () => {
    const h = await createHarness();
    harness = h;
    const browser = h.newBrowser();
    // Without prompt=none the state carries no mark: the provider's login_required is an error.
    const end = await h.signIn(browser, 'adele@contoso.test', {
      tamperAuthorize: (url) => url.searchParams.set('prompt', 'none'),
    });
    expect(end.url.pathname).toBe('/sign-in-error');
  });
});

describe('prompt values', () => {
  it.each(['login', 'select_account', 'consent', 'none'])(
    'forwards prompt=%s to the provider',
    async (prompt) => {
      const h = await createHarness();
      harness = h;
      const browser = h.newBrowser();
      const toProvider = await browser.navigate(loginUrl({ prompt }), {
        stopAt: (url) => url.origin === h.emulator.baseUrl,
      });
      expect(toProvider.url.searchParams.get('prompt')).toBe(prompt);
    },
  );

  it('refuses an unknown prompt with 400 invalid_request naming prompt and the allowed values', async () => {
    const h = await createHarness();
    harness = h;
    const response = await h.app.request(loginUrl({ prompt: 'create' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ApiErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(body.message).toMatch(/^prompt: must be one of none, login, select_account, consent/);
    expect(body.message).toContain('"create"');
  });
});
