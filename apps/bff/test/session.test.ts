import { type ApiErrorBody, routes, type SessionResponse } from '@gatehouse/contracts';
import { contosoSeed, GATEHOUSE_CLIENT_ID, type Seed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness, refreshGrants } from './harness';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

const host = new URL(APP_ORIGIN).host;
const MINUTE = 60_000;
/** Past the point where a 10-minute access token has less than 5 minutes left. */
const TOKEN_DUE = 6 * MINUTE;

/** The demo tenant, with one optional ID-token claim of Gatehouse's app registration turned off. */
function withoutOptionalClaim(claim: Seed['applications'][number]['optionalClaims'][number]): Seed {
  return {
    ...contosoSeed,
    applications: contosoSeed.applications.map((app) =>
      app.clientId === GATEHOUSE_CLIENT_ID
        ? { ...app, optionalClaims: app.optionalClaims.filter((c) => c !== claim) }
        : app,
    ),
  };
}

/** Signs a user in with 10-minute access tokens: a refresh is due 5 minutes later, well within the idle timeout. */
async function signedIn(user = 'adele@contoso.test', options: Parameters<typeof createHarness>[0] = {}) {
  harness = await createHarness(options);
  harness.emulator.control.setAccessTokenLifetime(10 * 60);
  const browser = harness.newBrowser();
  const end = await harness.signIn(browser, user);
  expect(end.url.href).toBe(`${APP_ORIGIN}/`);
  const sessionId = browser.cookies(host)['__Host-gatehouse']!;
  return { browser, sessionId };
}

describe('the session and its tokens', () => {
  it('refreshes the access token when less than five minutes are left, and keeps the newest refresh token', async () => {
    const { browser, sessionId } = await signedIn();
    const before = (await harness.store.get(sessionId))!;
    const lifetime = before.tokens.accessTokenExpiresAt! - harness.now();
    harness.emulator.control.resetCounters();

    harness.advance(lifetime - 6 * MINUTE);
    expect((await harness.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(harness)).toBe(0);

    harness.advance(2 * MINUTE);
    expect((await harness.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(harness)).toBe(1);
    const after = (await harness.store.get(sessionId))!;
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken);
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
    expect(after.tokens.accessTokenExpiresAt).toBeGreaterThan(harness.now() + 5 * MINUTE);
  });

  it('ends the session when the refresh token was revoked: 401 login_required, reason revoked', async () => {
    const { browser, sessionId } = await signedIn();
    harness.emulator.control.revokeRefreshTokens('adele');
    harness.advance(TOKEN_DUE);
    const response = await harness.api(browser, routes.session);
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'login_required',
      reason: 'revoked',
    });
    expect(await harness.store.get(sessionId)).toBeUndefined();
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
  });

  it('refuses a user removed from the role at the next refresh: 403 role_required, reason role_removed', async () => {
    const { browser, sessionId } = await signedIn();
    harness.emulator.control.removeAppRole('adele', 'Gatehouse.User');
    // Until the token is due, the session stands (the role is re-checked at each refresh) …
    expect((await harness.api(browser, routes.session)).status).toBe(200);
    // … and at the refresh, it ends.
    harness.advance(TOKEN_DUE);
    const response = await harness.api(browser, routes.session);
    expect(response.status).toBe(403);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'role_required',
      reason: 'role_removed',
      requiredRoles: ['Gatehouse.User'],
    });
    expect(await harness.store.get(sessionId)).toBeUndefined();
  });

  it('keeps the session when the provider is down (503 provider_unavailable), and recovers', async () => {
    const { browser, sessionId } = await signedIn();
    harness.emulator.control.tokenEndpointDown(true);
    harness.advance(TOKEN_DUE);
    // Due but not expired: the refresh fails, and the token the session holds still serves.
    expect((await harness.api(browser, routes.session)).status).toBe(200);
    harness.advance(5 * MINUTE); // expired (10-minute tokens; the back-off over): now the outage shows
    const down = await harness.api(browser, routes.session);
    expect(down.status).toBe(503);
    expect((await down.json()) as ApiErrorBody).toMatchObject({ error: 'provider_unavailable' });
    expect(await harness.store.get(sessionId)).toBeDefined();

    harness.emulator.control.tokenEndpointDown(false);
    // After the refresh back-off that the failure started (Retry-After), the next call refreshes.
    harness.advance(Number(down.headers.get('retry-after')) * 1000);
    expect((await harness.api(browser, routes.session)).status).toBe(200);
  });

  it('ends an unused session after SESSION_EXPIRY (idle) and says why', async () => {
    const { browser } = await signedIn();
    harness.advance(harness.config.SESSION_EXPIRY + 1);
    const response = await harness.api(browser, routes.session);
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'login_required',
      reason: 'idle_timeout',
    });
  });

  it('keeps no refresh token with OPENID_REUSE_TOKENS off', async () => {
    const { browser, sessionId } = await signedIn('adele@contoso.test', {
      env: {
        OPENID_REUSE_TOKENS: 'false',
        USE_ENTRA_ID_FOR_PEOPLE_SEARCH: 'false',
        ENABLE_SHAREPOINT_FILEPICKER: 'false',
        OPENID_GRAPH_SCOPES: '',
      },
    });
    const session = (await harness.store.get(sessionId))!;
    expect(session.tokens.refreshToken).toBeUndefined();
    harness.advance(TOKEN_DUE);
    expect((await harness.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(harness)).toBe(0);
  });
});

describe('logout', () => {
  it("deletes the session and sends the SPA to the end-session endpoint with Entra's logout_hint", async () => {
    const { browser, sessionId } = await signedIn();
    const response = await harness.api(browser, routes.logout, { method: 'POST' });
    expect(response.status).toBe(200);
    const { redirect } = (await response.json()) as { redirect: string };
    const url = new URL(redirect);
    expect(url.href.startsWith(`${harness.emulator.issuer().replace('/v2.0', '')}/oauth2/v2.0/logout`)).toBe(
      true,
    );
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(
      harness.config.OPENID_POST_LOGOUT_REDIRECT_URI,
    );
    // Entra's opaque login_hint names the session, so the ID token never reaches the browser.
    expect(url.searchParams.get('logout_hint')).toMatch(/^O\./);
    // Echoed back to the login page, which then says "you've signed out".
    expect(url.searchParams.get('state')).toBe('signed_out');
    expect(url.searchParams.has('id_token_hint')).toBe(false);
    expect(redirect).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(await harness.store.get(sessionId)).toBeUndefined();
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();

    // The old cookie no longer works even if someone kept a copy.
    browser.setCookie(host, '__Host-gatehouse', sessionId);
    expect((await harness.api(browser, routes.session)).status).toBe(401);
  });

  it('sends id_token_hint to a provider without login_hint, and a username logout_hint when too long', async () => {
    const withoutLoginHint = (max: string) =>
      signedIn('adele@contoso.test', {
        env: { OPENID_MAX_LOGOUT_URL_LENGTH: max },
        seed: withoutOptionalClaim('login_hint'),
      });
    const first = await withoutLoginHint('2000');
    const long = (await (await harness.api(first.browser, routes.logout, { method: 'POST' })).json()) as {
      redirect: string;
    };
    expect(new URL(long.redirect).searchParams.get('id_token_hint')).toBeTruthy();
    await harness.close();

    const { browser } = await withoutLoginHint('300');
    const { redirect } = (await (await harness.api(browser, routes.logout, { method: 'POST' })).json()) as {
      redirect: string;
    };
    const url = new URL(redirect);
    expect(url.searchParams.has('id_token_hint')).toBe(false);
    expect(url.searchParams.get('logout_hint')).toBe('adele@contoso.test');
  });

  it('answers a signed-out logout with the login page', async () => {
    harness = await createHarness();
    const response = await harness.api(harness.newBrowser(), routes.logout, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ redirect: `${APP_ORIGIN}/login` });
  });

  it('ends the sessions of a provider sid on front-channel logout (no cookie needed)', async () => {
    const { browser, sessionId } = await signedIn();
    const session = (await harness.store.get(sessionId))!;
    expect(session.providerSid).toBeTruthy();
    const frame = harness.newBrowser();
    const response = await frame.navigate(
      `${APP_ORIGIN}${routes.frontChannelLogout}?sid=${session.providerSid}`,
    );
    expect(response.response.status).toBe(200);
    expect(await harness.store.get(sessionId)).toBeUndefined();
    expect((await harness.api(browser, routes.session)).status).toBe(401);
  });
});

describe('CSRF and API behaviour', () => {
  it('answers an /api call without X-CSRF with 401 csrf, never a redirect', async () => {
    const { browser } = await signedIn();
    const response = await browser.api(routes.session);
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'csrf',
      reason: 'missing_header',
    });
  });

  it('refuses a logout posted from another origin', async () => {
    const { browser, sessionId } = await signedIn();
    const response = await harness.api(browser, routes.logout, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({ error: 'csrf', reason: 'cross_site' });
    expect(await harness.store.get(sessionId)).toBeDefined();
  });

  it('answers a session check on a cached session without a promise: same body, headers and log line', async () => {
    const { browser, sessionId } = await signedIn();
    const first = await harness.api(browser, routes.session); // reads the session and profile into memory
    const expected = (await first.json()) as SessionResponse;
    const request = () =>
      harness.app.fetch(
        new Request(`${APP_ORIGIN}${routes.session}`, {
          headers: { cookie: `__Host-gatehouse=${sessionId}`, 'x-csrf': '1' },
        }),
      );
    const logged = harness.logs.length;
    const answer = request();
    expect(answer).toBeInstanceOf(Response);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expected);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const line = JSON.parse(harness.logs.at(-1)!);
    expect(harness.logs.length).toBe(logged + 1);
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: routes.session, status: 200 });
    // The checks still run on that path: without X-CSRF, or with the session gone, it is refused.
    const refused = await harness.app.fetch(
      new Request(`${APP_ORIGIN}${routes.session}`, { headers: { cookie: `__Host-gatehouse=${sessionId}` } }),
    );
    expect(refused.status).toBe(401);
    await harness.store.delete(sessionId);
    expect((await request()).status).toBe(401);
  });

  it('answers 401 login_required no_session without a session', async () => {
    harness = await createHarness();
    const response = await harness.api(harness.newBrowser(), routes.session);
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'login_required',
      reason: 'no_session',
    });
  });

  it('serves the public config, health and readiness', async () => {
    harness = await createHarness();
    const browser = harness.newBrowser();
    const config = await (await harness.api(browser, routes.config)).json();
    expect(config).toMatchObject({ socialLogin: true, sharepointPicker: { enabled: true } });
    expect(JSON.stringify(config)).not.toContain(harness.config.OPENID_CLIENT_SECRET);
    expect((await browser.api(routes.health)).status).toBe(200);
    const ready = await browser.api(routes.ready);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', provider: 'ok' } });
  });

  it('asks Graph once for the user photo when several tabs ask at the same time', async () => {
    const { browser } = await signedIn();
    const before = harness.emulator.control.counters().graph['/v1.0/me/photo/$value'] ?? 0;
    const answers = await Promise.all([1, 2, 3, 4].map(() => harness.api(browser, routes.mePhoto)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(harness.emulator.control.counters().graph['/v1.0/me/photo/$value']).toBe(before + 1);
  });

  it('proxies the user photo from Graph, caches it per user, and answers 404 JSON without one', async () => {
    const { browser } = await signedIn();
    const photo = await harness.api(browser, routes.mePhoto);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toMatch(/^image\//);
    expect((await photo.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // One URL for every user: the browser must not cache it (a later user would see this photo).
    expect(photo.headers.get('cache-control')).toBe('no-store');
    expect((await harness.api(browser, routes.mePhoto)).status).toBe(200);
    expect(harness.emulator.control.counters().graph['/v1.0/me/photo/$value']).toBe(1);

    const noPhotoUser = harness.emulator.seed.users.find(
      (u) => !u.photoColor && u.userType !== 'Guest' && u.accountEnabled !== false,
    );
    expect(noPhotoUser).toBeDefined();
    harness.emulator.control.addAppRole(noPhotoUser!.userPrincipalName, 'Gatehouse.User');
    const other = harness.newBrowser();
    await harness.signIn(other, noPhotoUser!.userPrincipalName);
    const none = await harness.api(other, routes.mePhoto);
    expect(none.status).toBe(404);
    expect((await none.json()) as ApiErrorBody).toMatchObject({ error: 'not_found' });
  });
});

describe('secrets stay on the server', () => {
  it('puts no token, code or secret in any response body, header or log line', async () => {
    const { browser } = await signedIn();
    await harness.api(browser, routes.session);
    await harness.api(browser, routes.mePhoto);
    harness.advance(TOKEN_DUE);
    await harness.api(browser, routes.session); // a refresh
    const session = (await (await harness.api(browser, routes.session)).json()) as SessionResponse;
    expect(session.user.name).toBe('Adele Vance');
    await harness.api(browser, routes.logout, { method: 'POST' });
    // A failed sign-in too (its error paths log the most).
    await harness.signIn(harness.newBrowser(), 'alex@contoso.test');

    const secrets = [...harness.secrets].filter((s) => s.length >= 16);
    expect(secrets.length).toBeGreaterThan(5);
    expect(harness.logs.length).toBeGreaterThan(10);
    const logoutUrl = harness.responses.find((r) => r.url.endsWith(routes.logout))!;
    expect(new URL(JSON.parse(logoutUrl.body).redirect).searchParams.has('id_token_hint')).toBe(false);
    const bffOutput = [
      ...harness.responses.map((r) => {
        const headers = r.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
        // The photo's bytes are not text.
        const body = r.url.endsWith(routes.mePhoto) && r.status === 200 ? '' : r.body;
        return `${headers}\n${body}`;
      }),
      ...harness.logs,
    ];
    for (const secret of secrets) {
      for (const line of bffOutput) {
        if (line.includes(secret)) throw new Error(`A secret leaked: ${line.slice(0, 300)}`);
      }
    }
  });
});
