import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

// Whole sign-ins through the emulator: generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MINUTE = 60_000;
const ROUTE = '/c/0b6f4a52-5bd4-4d1e-9a57-3f7e1f0f2c11';

async function signedIn() {
  const h = await createHarness();
  harness = h;
  h.emulator.control.setAccessTokenLifetime(10 * 60);
  const browser = h.newBrowser();
  expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
  return { h, browser };
}

/** Signs in again from `returnTo`, recording the authorize request's `claims` parameter. */
async function stepUp(h: Harness, browser: ReturnType<Harness['newBrowser']>) {
  let claims: string | null = null;
  const back = await h.signIn(browser, 'adele@contoso.test', {
    returnTo: ROUTE,
    tamperAuthorize: (url) => {
      claims = url.searchParams.get('claims');
    },
  });
  return { back, claims: claims === null ? undefined : (JSON.parse(claims) as Record<string, unknown>) };
}

const ANSWERED = {
  access_token: { acrs: { essential: true, value: 'c1' }, xms_cc: { values: ['cp1'] } },
};
/** What every sign-in that asks for Graph carries without a challenge: the CAE capability alone. */
const CAE_ONLY = { access_token: { xms_cc: { values: ['cp1'] } } };

describe('Conditional Access claims challenges', () => {
  it('from a refresh: 401 claims_challenge, the sign-in carries the claims (and CAE), back on the route, retried OK', async () => {
    const { h, browser } = await signedIn();
    h.emulator.control.fault({ route: 'token', demandClaims: 'c1' });
    h.advance(11 * MINUTE); // the session's token has expired: the next call refreshes

    const refused = await h.api(browser, routes.session);
    expect(refused.status).toBe(401);
    expect((await refused.json()) as ApiErrorBody).toMatchObject({
      error: 'interaction_required',
      reason: 'claims_challenge',
    });

    const { back, claims } = await stepUp(h, browser);
    expect(claims).toEqual(ANSWERED);
    expect(back.url.href).toBe(`${APP_ORIGIN}${ROUTE}`);
    expect(h.emulator.control.faults()).toEqual([]);
    expect((await h.api(browser, routes.session)).status).toBe(200);

    // The new session holds no challenge: a later sign-in asks for nothing more than CAE.
    expect((await stepUp(h, browser)).claims).toEqual(CAE_ONLY);
  });

  it('from Graph: 401 claims_challenge, the sign-in carries the claims (and CAE), back on the route, retried OK', async () => {
    const { h, browser } = await signedIn();
    h.emulator.control.fault({ route: 'graph', demandClaims: 'c1' });

    const refused = await h.api(browser, routes.mePhoto);
    expect(refused.status).toBe(401);
    // Kept in the session record (encrypted with its tokens), where every instance finds it.
    const sessionId = browser.cookies(new URL(APP_ORIGIN).host)['__Host-gatehouse']!;
    expect(JSON.parse((await h.store.get(sessionId))!.tokens.claimsChallenge!)).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
    expect((await refused.json()) as ApiErrorBody).toMatchObject({
      error: 'interaction_required',
      reason: 'claims_challenge',
    });

    const { back, claims } = await stepUp(h, browser);
    expect(claims).toEqual(ANSWERED);
    expect(back.url.href).toBe(`${APP_ORIGIN}${ROUTE}`);
    const retried = await h.api(browser, routes.mePhoto);
    expect([200, 404]).toContain(retried.status); // the photo, or none: Graph took the token
  });

  it('asks for CAE-capable Graph tokens (xms_cc cp1) at every Graph token request', async () => {
    const { h, browser } = await signedIn();
    await h.api(browser, routes.mePhoto);
    h.advance(11 * MINUTE); // the Graph token has expired: the next call mints another
    await h.api(browser, routes.mePhoto);
    const session = await h.store.get(browser.cookies(new URL(APP_ORIGIN).host)['__Host-gatehouse']!);
    const graph = session!.resourceTokens['https://graph.microsoft.com']!;
    expect(decodeJwt(graph.accessToken).xms_cc).toEqual(['cp1']);
    expect(h.emulator.control.counters().token.refresh_token?.[h.config.OPENID_CLIENT_ID]).toBeGreaterThan(0);
  });

  it("makes the first sign-in's Graph token CAE-capable too, before any refresh", async () => {
    const { h, browser } = await signedIn();
    const session = await h.store.get(browser.cookies(new URL(APP_ORIGIN).host)['__Host-gatehouse']!);
    expect(decodeJwt(session!.tokens.accessToken!).xms_cc).toEqual(['cp1']);
    expect(h.emulator.control.counters().token.refresh_token).toBeUndefined();
  });

  it('a silent sign-in cannot answer a step-up: prompt=none lands on the login page, the challenge kept', async () => {
    const { h, browser } = await signedIn();
    h.emulator.control.fault({ route: 'graph', demandClaims: 'c1' });
    expect((await h.api(browser, routes.mePhoto)).status).toBe(401);

    const silent = await browser.navigate(
      `${APP_ORIGIN}${routes.login}?prompt=none&returnTo=${encodeURIComponent(ROUTE)}`,
    );
    expect(silent.url.origin + silent.url.pathname).toBe(`${APP_ORIGIN}/login`);
    expect(silent.url.searchParams.get('silentSignIn')).toBe('interaction_required');
    expect(h.emulator.control.faults()).toHaveLength(1);

    const { back, claims } = await stepUp(h, browser);
    expect(claims).toEqual(ANSWERED);
    expect(back.url.href).toBe(`${APP_ORIGIN}${ROUTE}`);
  });

  it('never forwards a claims value the browser sends', async () => {
    const { h, browser } = await signedIn();
    let claims: string | null = 'unset';
    await h.signIn(browser, 'adele@contoso.test', {
      returnTo: `${ROUTE}?claims=x`,
      tamperAuthorize: (url) => {
        claims = url.searchParams.get('claims');
      },
    });
    expect(JSON.parse(claims!)).toEqual(CAE_ONLY);
    const direct = await browser.navigate(
      `${APP_ORIGIN}${routes.login}?claims=${encodeURIComponent('{"id_token":{"acrs":{"value":"c9"}}}')}`,
      { stopAt: (url) => url.pathname.endsWith('/authorize') },
    );
    expect(JSON.parse(direct.url.searchParams.get('claims')!)).toEqual(CAE_ONLY);
  });
});
