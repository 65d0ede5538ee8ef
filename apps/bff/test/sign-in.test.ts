import { routes, type SessionResponse } from '@gatehouse/contracts';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

const host = new URL(APP_ORIGIN).host;

describe('sign-in with the Entra emulator', () => {
  it('signs Adele in and returns her to the deep link she asked for', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test', {
      returnTo: '/conversations/42?tab=files',
    });
    expect(end.url.href).toBe(`${APP_ORIGIN}/conversations/42?tab=files`);

    const response = await harness.api(browser, routes.session);
    expect(response.status).toBe(200);
    const body = (await response.json()) as SessionResponse;
    expect(body.user).toMatchObject({
      name: 'Adele Vance',
      email: 'adele@contoso.test',
      tenantId: harness.emulator.seed.tenant.id,
      roles: ['Gatehouse.User'],
    });
    expect(Date.parse(body.expiresAt)).toBe(harness.now() + harness.config.SESSION_EXPIRY);
    expect(Date.parse(body.absoluteExpiresAt)).toBe(harness.now() + harness.config.REFRESH_TOKEN_EXPIRY);
  });

  it('sets the session cookie as __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, without Domain, and drops the login transaction', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    await harness.signIn(browser, 'adele@contoso.test');
    const header = browser.setCookieHeaders.find((h) => h.startsWith('__Host-gatehouse='));
    expect(header).toBeDefined();
    const attributes = header!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain'))).toBe(false);
    expect(browser.cookies(host)['__Host-gatehouse']).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const transaction = browser.setCookieHeaders.find((h) => h.startsWith('__Host-gatehouse-tx-'));
    expect(transaction?.toLowerCase()).toContain('httponly');
    expect(
      Object.keys(browser.cookies(host)).filter((name) => name.startsWith('__Host-gatehouse-tx-')),
    ).toEqual([]);
  });

  it('issues a new session id at every sign-in and ends the previous session', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    await harness.signIn(browser, 'adele@contoso.test');
    const first = browser.cookies(host)['__Host-gatehouse']!;
    await harness.signIn(browser, 'adele@contoso.test');
    const second = browser.cookies(host)['__Host-gatehouse']!;
    expect(second).not.toBe(first);
    expect(await harness.store.get(first)).toBeUndefined();
    expect(await harness.store.get(second)).toBeDefined();
  });

  it('lets two tabs sign in at once (one transaction cookie per attempt)', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const atProvider = (url: URL) => url.origin === harness.emulator.baseUrl;
    const tabA = await browser.navigate(`${APP_ORIGIN}${routes.login}?returnTo=/a`, { stopAt: atProvider });
    const tabB = await browser.navigate(`${APP_ORIGIN}${routes.login}?returnTo=/b`, { stopAt: atProvider });
    const txCookies = Object.keys(browser.cookies(host)).filter((n) => n.startsWith('__Host-gatehouse-tx-'));
    expect(txCookies).toHaveLength(2);
    // Tab A finishes first, then tab B (single sign-on at the provider by then).
    const pageA = await browser.navigate(tabA.url);
    const endA = await browser.submitForm(pageA, { loginfmt: 'adele@contoso.test', passwd: 'Passw0rd!' });
    expect(endA.url.pathname).toBe('/a');
    const endB = await browser.navigate(tabB.url);
    expect(endB.url.pathname).toBe('/b');
  });

  it('never sends the user to another site after sign-in (returnTo is same-origin only)', async () => {
    harness = await createHarness();
    for (const evil of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/%2F%2Fevil.example',
    ]) {
      const browser = harness.newBrowser();
      const end = await harness.signIn(browser, 'adele@contoso.test', { returnTo: evil });
      expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    }
  });

  it('refuses Alex, who lacks the role: no session, and the access-denied page names the role', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'alex@contoso.test');
    expect(end.url.origin + end.url.pathname).toBe(`${APP_ORIGIN}/access-denied`);
    expect(end.url.searchParams.get('roles')).toBe('Gatehouse.User');
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
    expect(await harness.api(browser, routes.session).then((r) => r.status)).toBe(401);
  });

  it("admits Megan by a group id although her token has no groups (overage: Graph's checkMemberGroups for the required group)", async () => {
    const megan = contosoSeed.users.find((u) => u.userPrincipalName === 'megan@contoso.test')!;
    // One of her 250 security groups, not in her token because of the overage.
    const alex = contosoSeed.users.find((u) => u.userPrincipalName === 'alex@contoso.test')!;
    const group = contosoSeed.groups.find(
      (g) => g.securityEnabled && g.members.includes(megan.id) && !g.members.includes(alex.id),
    )!;
    harness = await createHarness({
      env: {
        OPENID_REQUIRED_ROLE: group.id,
        OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
        OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
      },
    });
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'megan@contoso.test');
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    const body = (await (await harness.api(browser, routes.session)).json()) as SessionResponse;
    expect(body.user.roles).toEqual([group.id]);
    expect(harness.emulator.control.counters().graph['/v1.0/me/checkMemberGroups']).toBe(1);

    // Alex is not in that group.
    const alexBrowser = harness.newBrowser();
    expect((await harness.signIn(alexBrowser, 'alex@contoso.test')).url.pathname).toBe('/access-denied');
  });
});

describe('sign-in attacks and provider errors', () => {
  it('refuses a callback whose state was changed', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test', {
      tamperAuthorize: (url) => url.searchParams.set('state', `${url.searchParams.get('state')}x`),
    });
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_state');
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('refuses a replayed callback, even with the transaction cookie presented again', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const atCallback = (url: URL) => url.href.startsWith(harness.config.redirectUri);
    const toProvider = await browser.navigate(`${APP_ORIGIN}${routes.login}`, {
      stopAt: (url) => url.origin === harness.emulator.baseUrl,
    });
    const txName = Object.keys(browser.cookies(host)).find((n) => n.startsWith('__Host-gatehouse-tx-'))!;
    const txValue = browser.cookies(host)[txName]!;
    const page = await browser.navigate(toProvider.url);
    const back = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: 'Passw0rd!' });
    expect(back.url.href).toBe(`${APP_ORIGIN}/`);
    const callbackUrl = back.chain.find(atCallback)!;

    const attacker = harness.newBrowser();
    attacker.setCookie(host, txName, txValue);
    const replay = await attacker.navigate(callbackUrl);
    expect(replay.url.pathname).toBe('/sign-in-error');
    expect(replay.url.searchParams.get('code')).toBe('invalid_state');
    expect(attacker.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('refuses an ID token whose nonce is not the one this browser sent', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test', {
      tamperAuthorize: (url) => url.searchParams.set('nonce', 'nonce-chosen-by-an-attacker'),
    });
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_token');
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('refuses an ID token from the token endpoint whose claims were changed (signature check)', async () => {
    harness = await createHarness({
      env: { OPENID_REQUIRED_ROLE: 'Gatehouse.User' },
      providerFetch: (emulator) => async (request) => {
        const response = await emulator.fetch(request);
        if (!request.url.endsWith('/oauth2/v2.0/token') || !response.ok) return response;
        const body = (await response.json()) as { id_token: string };
        const [header, payload, signature] = body.id_token.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        claims.roles = ['Gatehouse.User'];
        body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join(
          '.',
        );
        return Response.json(body);
      },
    });
    // Alex has no role; a forged `roles` claim must not get him in.
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'alex@contoso.test');
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_token');
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('signs in after the provider rotated its signing key (one JWKS refetch for the unknown kid)', async () => {
    let jwksFetches = 0;
    harness = await createHarness({
      providerFetch: (emulator) => async (request) => {
        if (request.url.includes('/discovery/v2.0/keys')) jwksFetches += 1;
        return emulator.fetch(request);
      },
    });
    await harness.signIn(harness.newBrowser(), 'adele@contoso.test');
    expect(jwksFetches).toBe(1);
    harness.emulator.control.rotateKeys({ keepOld: false });
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test');
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(jwksFetches).toBe(2);
  });

  it('shows a calm page when the user cancels consent at the provider (error=access_denied)', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const atProvider = (url: URL) => url.origin === harness.emulator.baseUrl;
    const start = await browser.navigate(`${APP_ORIGIN}${routes.login}?prompt=consent`, {
      stopAt: atProvider,
    });
    expect(start.url.searchParams.get('prompt')).toBe('consent');
    const page = await browser.navigate(start.url);
    const consent = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: 'Passw0rd!' });
    expect(consent.body).toMatch(/name="consent"/);
    const end = await browser.submitForm(consent, { consent: 'no' });
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('access_denied');
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('tells the operator how to fix a wrong client secret (AADSTS7000215), in the log and in dev on the page', async () => {
    harness = await createHarness({ env: { OPENID_CLIENT_SECRET: 'not-the-secret' } });
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test');
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_client');
    expect(end.url.searchParams.get('hint')).toMatch(/OPENID_CLIENT_SECRET/);
    expect(
      harness.logs.some((line) => line.includes('AADSTS7000215') && line.includes('OPENID_CLIENT_SECRET')),
    ).toBe(true);
  });

  it('leaves the hint out of the page in production', async () => {
    harness = await createHarness({
      env: {
        NODE_ENV: 'production',
        OPENID_CLIENT_SECRET: 'not-the-secret',
        OPENID_SESSION_SECRET: 'a-production-secret-of-enough-length-0123456789abcdef',
      },
    });
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, 'adele@contoso.test');
    expect(end.url.searchParams.get('code')).toBe('invalid_client');
    expect(end.url.searchParams.has('hint')).toBe(false);
  });

  it('keeps working when the provider was down at start-up: /readyz says so, sign-in recovers without a restart', async () => {
    let providerDown = true;
    harness = await createHarness({
      providerFetch: (emulator) => async (request) => {
        if (providerDown) throw new TypeError('fetch failed');
        return emulator.fetch(request);
      },
    });
    const browser = harness.newBrowser();
    const ready = await browser.api(routes.ready);
    expect(ready.status).toBe(503);
    // Which dependency is down, not why: the probe is public.
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', provider: 'unavailable' },
    });
    const refused = await harness.signIn(browser, 'adele@contoso.test');
    expect(refused.url.pathname).toBe('/sign-in-error');
    expect(refused.url.searchParams.get('code')).toBe('provider_unavailable');

    providerDown = false;
    harness.advance(10_001); // past the re-discovery cooldown
    const end = await harness.signIn(browser, 'adele@contoso.test');
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    expect((await browser.api(routes.ready)).status).toBe(200);
  });
});
