/**
 * A login that recovers by itself, as a person sees it: when the callback finds no login
 * transaction (a bookmarked provider page, the sign-in finished in another tab) or an expired one
 * (a long wait on the provider's page), the sign-in starts again once and ends where it was meant
 * to; a second failure shows the error page instead of looping.
 */
import { routes } from '@gatehouse/contracts';
import { DEMO_PASSWORD } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Browser, Navigation } from './browser';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const host = new URL(APP_ORIGIN).host;

async function start() {
  harness = await createHarness();
  return harness;
}
const MINUTE = 60_000;

function transactionCookies(browser: Browser): [string, string][] {
  return Object.entries(browser.cookies(host)).filter(([name]) => name.startsWith('__Host-gatehouse-tx-'));
}

/** Starts a sign-in and stops on the provider's page, as a person who then waits or bookmarks it. */
async function openProviderPage(h: Harness, browser: Browser, returnTo?: string) {
  const start = new URL(routes.login, APP_ORIGIN);
  if (returnTo) start.searchParams.set('returnTo', returnTo);
  const atProvider = await browser.navigate(start, { stopAt: (url) => url.origin === h.emulator.baseUrl });
  return browser.navigate(atProvider.url);
}

function codeGrants(h: Harness): number {
  return h.emulator.control.counters().token.authorization_code?.[h.config.OPENID_CLIENT_ID] ?? 0;
}

function callbacks(h: Harness, navigation: Navigation): URL[] {
  return navigation.chain.filter((url) => url.href.startsWith(h.config.redirectUri));
}

describe('a stale login transaction restarts the sign-in once', () => {
  it('after a long wait on the provider page (expired attempt): signs in and returns to the original deep link', async () => {
    const h = await start();
    const browser = h.newBrowser();
    const page = await openProviderPage(h, browser, '/conversations/42?tab=files');
    const [[name, value]] = transactionCookies(browser) as [[string, string]];
    h.advance(11 * MINUTE);
    // This browser still sends the old attempt (its clock and ours disagree): it has expired.
    browser.setCookie(host, name, value);

    const end = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: DEMO_PASSWORD });
    expect(end.url.href).toBe(`${APP_ORIGIN}/conversations/42?tab=files`);
    const [first, second] = callbacks(h, end);
    expect(second?.searchParams.get('state')).toMatch(/\.restart$/);
    expect(first?.searchParams.get('state')).not.toMatch(/\.restart$/);
    expect((await h.api(browser, routes.session)).status).toBe(200);
    // The first response's code was never redeemed: one code grant, for the restarted attempt.
    expect(codeGrants(h)).toBe(1);
    expect(transactionCookies(browser)).toEqual([]);
  });

  it('without any attempt in this browser (a bookmarked provider page): signs in and lands on the home page', async () => {
    const h = await start();
    const browser = h.newBrowser();
    const page = await openProviderPage(h, browser, '/conversations/42');
    for (const [name] of transactionCookies(browser)) browser.deleteCookie(host, name);

    const end = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: DEMO_PASSWORD });
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(callbacks(h, end)).toHaveLength(2);
    expect((await h.api(browser, routes.session)).status).toBe(200);
    // The restarted attempt asks for what a first one does: the CAE capability with its Graph scopes.
    const restarted = end.chain.find((url) => url.pathname.endsWith('/authorize'));
    expect(JSON.parse(restarted?.searchParams.get('claims') ?? 'null')).toEqual({
      access_token: { xms_cc: { values: ['cp1'] } },
    });
  });

  it('shows the error page when the restarted attempt fails too (no loop)', async () => {
    const h = await start();
    const browser = h.newBrowser();
    const page = await openProviderPage(h, browser);
    for (const [name] of transactionCookies(browser)) browser.deleteCookie(host, name);
    // A browser that loses its attempts: stop on the provider's page after the restart and lose that one too.
    const form = /<form[^>]*action="([^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    const atRestart = await browser.navigate(new URL(form, page.url), {
      method: 'POST',
      body: new URLSearchParams([
        ...hiddenFields(page.body),
        ['loginfmt', 'adele@contoso.test'],
        ['passwd', DEMO_PASSWORD],
      ]),
      stopAt: (url) => url.origin === h.emulator.baseUrl && url.pathname.endsWith('/authorize'),
    });
    expect(atRestart.url.searchParams.get('state')).toMatch(/\.restart$/);
    for (const [name] of transactionCookies(browser)) browser.deleteCookie(host, name);

    const end = await browser.navigate(atRestart.url);
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_state');
    expect(end.url.searchParams.get('hint')).toMatch(/restarted once and failed again/);
    expect(callbacks(h, end)).toHaveLength(1);
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
    expect(codeGrants(h)).toBe(0);
  });

  it('never restarts a forged state (right cookie name, other value), a replay or a provider error', async () => {
    const h = await start();
    const browser = h.newBrowser();
    const forged = await h.signIn(browser, 'adele@contoso.test', {
      tamperAuthorize: (url) => url.searchParams.set('state', `${url.searchParams.get('state')}x`),
    });
    expect(forged.url.pathname).toBe('/sign-in-error');
    expect(callbacks(h, forged)).toHaveLength(1);

    const errorResponse = await h
      .newBrowser()
      .navigate(`${h.config.redirectUri}?error=access_denied&state=AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(errorResponse.url.pathname).toBe('/sign-in-error');
    expect(errorResponse.chain.some((url) => url.origin === h.emulator.baseUrl)).toBe(false);
  });
});

/** The hidden inputs of the emulator's sign-in form. */
function hiddenFields(html: string): [string, string][] {
  return [...html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map((match) => {
    const name = /name="([^"]*)"/.exec(match[0])?.[1] ?? '';
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? '';
    return [name, value.replaceAll('&amp;', '&')];
  });
}
