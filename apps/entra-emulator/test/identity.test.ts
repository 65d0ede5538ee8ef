import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contosoSeed, GATEHOUSE_CLIENT_ID, GATEHOUSE_REDIRECT_URI } from '../src/index';
import { createCookieJar, signIn } from '../src/testing';
import {
  authorizeUrl,
  BASE,
  createFakeClock,
  createTestEmulator,
  decodeJwtPayload,
  getCode,
  graphGet,
  json,
  signInAndRedeem,
  TENANT_BASE,
  tokenRequest,
} from './helpers';

const userId = (alias: string) =>
  contosoSeed.users.find((u) => u.userPrincipalName === `${alias}@contoso.test`)!.id;
const groupId = (name: string) => contosoSeed.groups.find((g) => g.displayName === name)!.id;
const pkce = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const VERIFIER = `${'a'.repeat(20)}${'B'.repeat(23)}-._~0123456789`;

describe('discovery and keys', () => {
  const emulator = createTestEmulator();

  it('answers for the tenant id and its aliases with the GUID issuer', async () => {
    for (const segment of [contosoSeed.tenant.id, 'contoso', 'contoso.test']) {
      const response = await emulator.fetch(
        new Request(`${BASE}/${segment}/v2.0/.well-known/openid-configuration`),
      );
      expect(response.status).toBe(200);
      expect((await json(response)).issuer).toBe(`${BASE}/${contosoSeed.tenant.id}/v2.0`);
    }
  });

  it('gives the {tenantid} template issuer for common and organizations', async () => {
    const response = await emulator.fetch(
      new Request(`${BASE}/organizations/v2.0/.well-known/openid-configuration`),
    );
    const body = await json(response);
    expect(body.issuer).toBe(`${BASE}/{tenantid}/v2.0`);
    expect(body.authorization_endpoint).toBe(`${BASE}/organizations/oauth2/v2.0/authorize`);
    expect(emulator.issuer('common')).toBe(`${BASE}/{tenantid}/v2.0`);
  });

  it('refuses an unknown tenant with AADSTS90002', async () => {
    const response = await emulator.fetch(
      new Request(`${BASE}/fabrikam/v2.0/.well-known/openid-configuration`),
    );
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toBe('invalid_request');
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'fabrikam' not found/);
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('publishes RSA signing keys with kid and x5t', async () => {
    const response = await emulator.fetch(new Request(`${TENANT_BASE}/discovery/v2.0/keys`));
    const { keys } = await json(response);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB' });
    expect(keys[0].kid).toHaveLength(27);
    expect(keys[0].x5t).toBe(keys[0].kid);
  });
});

describe('authorize', () => {
  it('shows an error page, not a redirect, for a redirect URI that is not registered', async () => {
    const emulator = createTestEmulator();
    const response = await emulator.fetch(
      new Request(authorizeUrl({ redirectUri: 'https://evil.example/callback' }), { redirect: 'manual' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS50011');
  });

  it('shows an error page for an unknown client and for a single-tenant app on /common', async () => {
    const emulator = createTestEmulator();
    const unknown = await emulator.fetch(
      new Request(authorizeUrl({ clientId: '00000000-0000-0000-0000-000000000001' })),
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS700016');
    const common = await emulator.fetch(
      new Request(authorizeUrl().toString().replace(contosoSeed.tenant.id, 'common'), { redirect: 'manual' }),
    );
    expect(await common.text()).toContain('AADSTS50194');
  });

  it('sends other request errors back to the redirect URI with the state', async () => {
    const emulator = createTestEmulator();
    const response = await emulator.fetch(
      new Request(authorizeUrl({ extra: { response_type: 'token' } }), { redirect: 'manual' }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(GATEHOUSE_REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS700054/);
    expect(location.searchParams.get('state')).toBe('state-1');
  });

  it('shows the sign-in page with Entra field names and an accessible form', async () => {
    const emulator = createTestEmulator();
    const response = await emulator.fetch(new Request(authorizeUrl()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('name="loginfmt"');
    expect(html).toContain('name="passwd"');
    expect(html).toContain('id="idSIButton9"');
    expect(html).toMatch(/<label for="i0116">/);
    expect(html).toMatch(/<label for="i0118">/);
    expect(html).toContain('to continue to Gatehouse (dev)');
  });

  it('keeps the user on the page with an Entra-style error after a wrong password', async () => {
    const emulator = createTestEmulator();
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl(),
      username: 'adele@contoso.test',
      password: 'wrong',
    });
    expect(result.kind).toBe('page');
    if (result.kind !== 'page') return;
    expect(result.status).toBe(200);
    expect(result.html).toContain(
      'Your account or password is incorrect. If you don&#39;t remember your password, reset it now.',
    );
    expect(result.html).toContain('role="alert"');
    expect(result.html).toContain('aria-invalid="true"');
    expect(result.cookies.size).toBe(0);
  });

  it('says when the username is unknown', async () => {
    const emulator = createTestEmulator();
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl(),
      username: 'nobody@contoso.test',
      password: 'x',
    });
    expect(result.kind === 'page' && result.html).toContain('This username may be incorrect');
  });

  it('accepts a two-step sign-in: username first, then password', async () => {
    const emulator = createTestEmulator();
    const page = await (await emulator.fetch(new Request(authorizeUrl()))).text();
    const ctx = /name="ctx" value="([^"]+)"/.exec(page)![1]!;
    const post = (fields: Record<string, string>) =>
      emulator.fetch(
        new Request(`${TENANT_BASE}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ctx, ...fields }),
        }),
      );
    const step2 = await post({ loginfmt: 'alex@contoso.test', passwd: '' });
    const html = await step2.text();
    expect(html).toContain('Enter password');
    expect(html).not.toContain('role="alert"');
    const done = await post({ loginfmt: 'alex@contoso.test', passwd: 'Passw0rd!', step: 'password' });
    expect(done.status).toBe(302);
    expect(new URL(done.headers.get('location')!).searchParams.get('code')).toMatch(/^1\.A/);
  });

  it('answers prompt=none without an SSO session with login_required (AADSTS50058)', async () => {
    const emulator = createTestEmulator();
    const response = await emulator.fetch(
      new Request(authorizeUrl({ prompt: 'none' }), { redirect: 'manual' }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS50058/);
    expect(location.searchParams.get('state')).toBe('state-1');
  });

  it('signs in silently with the SSO cookie, and honours prompt=none, login and select_account', async () => {
    const emulator = createTestEmulator();
    const { cookies } = await getCode(emulator, 'adele@contoso.test');
    expect(cookies.has('ESTSAUTH')).toBe(true);

    const silent = await signIn({ fetch: emulator.fetch, authorizeUrl: authorizeUrl(), cookies });
    expect(silent.kind === 'redirect' && silent.url.searchParams.get('code')).toBeTruthy();
    const none = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ prompt: 'none' }),
      cookies,
    });
    expect(none.kind === 'redirect' && none.url.searchParams.get('code')).toBeTruthy();

    const login = await emulator.fetch(
      new Request(authorizeUrl({ prompt: 'login' }), {
        headers: { cookie: `ESTSAUTH=${cookies.get('ESTSAUTH')}` },
      }),
    );
    expect(await login.text()).toContain('name="passwd"');
    const picker = await emulator.fetch(
      new Request(authorizeUrl({ prompt: 'select_account' }), {
        headers: { cookie: `ESTSAUTH=${cookies.get('ESTSAUTH')}` },
      }),
    );
    const pickerHtml = await picker.text();
    expect(pickerHtml).toContain('Pick an account');
    expect(pickerHtml).toContain('adele@contoso.test');
    // A login_hint for another account goes to the sign-in page, prefilled.
    const hinted = await emulator.fetch(
      new Request(authorizeUrl({ loginHint: 'megan@contoso.test' }), {
        headers: { cookie: `ESTSAUTH=${cookies.get('ESTSAUTH')}` },
      }),
    );
    expect(await hinted.text()).toContain('value="megan@contoso.test"');
  });

  it('asks for consent for a scope nobody consented to, and records the answer', async () => {
    const emulator = createTestEmulator();
    const params = { scope: 'openid profile offline_access Mail.Read' };
    const declined = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl(params),
      username: 'adele@contoso.test',
      password: 'Passw0rd!',
      consent: 'cancel',
    });
    expect(declined.kind === 'redirect' && declined.url.searchParams.get('error')).toBe('access_denied');
    const cookies = createCookieJar();
    const accepted = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl(params),
      username: 'adele@contoso.test',
      password: 'Passw0rd!',
      cookies,
    });
    expect(accepted.kind).toBe('redirect');
    if (accepted.kind !== 'redirect') return;
    const { body } = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: accepted.url.searchParams.get('code')!,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
    });
    expect(decodeJwtPayload(body.access_token as string).scp).toContain('Mail.Read');
    // Consent given once is remembered: prompt=none now succeeds.
    const silent = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ ...params, prompt: 'none' }),
      cookies,
    });
    expect(silent.kind === 'redirect' && silent.url.searchParams.get('code')).toBeTruthy();
  });

  it('delivers the code with response_mode=fragment', async () => {
    const emulator = createTestEmulator();
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ responseMode: 'fragment' }),
      username: 'adele@contoso.test',
      password: 'Passw0rd!',
    });
    expect(result.kind === 'redirect' && new URLSearchParams(result.url.hash.slice(1)).get('code')).toMatch(
      /^1\.A/,
    );
  });
});

describe('token endpoint: authorization_code', () => {
  it('redeems a code once; a replay fails with AADSTS54005', async () => {
    const emulator = createTestEmulator();
    const { code } = await getCode(emulator, 'adele@contoso.test');
    const params = { grant_type: 'authorization_code', code, redirect_uri: GATEHOUSE_REDIRECT_URI };
    const first = await tokenRequest(emulator, params, { basic: true });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toContain('no-store');
    const replay = await tokenRequest(emulator, params, { basic: true });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('refuses an expired code (ten minutes) with AADSTS70008', async () => {
    const clock = createFakeClock();
    const emulator = createTestEmulator({ clock: clock.now });
    const { code } = await getCode(emulator, 'adele@contoso.test');
    clock.advance(11 * 60 * 1000);
    const { body } = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
    });
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
  });

  it('binds the code to its redirect URI (AADSTS500112)', async () => {
    const emulator = createTestEmulator();
    const { code } = await getCode(emulator, 'adele@contoso.test');
    const { body } = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:3080/',
    });
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [500112] });
  });

  it('enforces PKCE once a challenge was sent (AADSTS501481)', async () => {
    const emulator = createTestEmulator();
    const params = { codeChallenge: pkce(VERIFIER), codeChallengeMethod: 'S256' };
    const wrong = await getCode(emulator, 'adele@contoso.test', params);
    const mismatch = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: wrong.code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      code_verifier: `${VERIFIER}x`,
    });
    expect(mismatch.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    const missing = await getCode(emulator, 'adele@contoso.test', params);
    const noVerifier = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: missing.code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
    });
    expect(noVerifier.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    const right = await getCode(emulator, 'adele@contoso.test', params);
    const ok = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: right.code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      code_verifier: VERIFIER,
    });
    expect(ok.status).toBe(200);
  });

  it('authenticates the client: wrong secret 7000215, no secret 7000218, both 401 invalid_client', async () => {
    const emulator = createTestEmulator();
    const { code } = await getCode(emulator, 'adele@contoso.test');
    const params = { grant_type: 'authorization_code', code, redirect_uri: GATEHOUSE_REDIRECT_URI };
    const wrong = await tokenRequest(emulator, params, { secret: 'nope', basic: true });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const response = await emulator.fetch(
      new Request(`${TENANT_BASE}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...params, client_id: GATEHOUSE_CLIENT_ID }),
      }),
    );
    expect(response.status).toBe(401);
    expect((await json(response)).error_codes).toEqual([7000218]);
  });

  it('refuses an unknown grant type with AADSTS70003', async () => {
    const emulator = createTestEmulator();
    const { body } = await tokenRequest(emulator, { grant_type: 'password', username: 'a', password: 'b' });
    expect(body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });

  it('returns client_info when asked, as MSAL expects', async () => {
    const emulator = createTestEmulator();
    const { code } = await getCode(emulator, 'adele@contoso.test');
    const { body } = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      client_info: '1',
    });
    const info = JSON.parse(Buffer.from(body.client_info as string, 'base64url').toString());
    expect(info).toEqual({ uid: userId('adele'), utid: contosoSeed.tenant.id });
  });
});

describe('ID token claims', () => {
  it('lists security groups for Adele, transitive ones included', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const claims = decodeJwtPayload(tokens.id_token!);
    expect(claims.groups).toEqual(expect.arrayContaining([groupId('Marketing'), groupId('All Company')]));
    expect(claims).not.toHaveProperty('_claim_names');
    expect(claims.login_hint).toMatch(/^O\./);
  });

  it('uses the overage form for Megan, who is in 250 groups', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'megan@contoso.test');
    const claims = decodeJwtPayload(tokens.id_token!);
    expect(claims).not.toHaveProperty('groups');
    expect(claims._claim_names).toEqual({ groups: 'src1' });
    expect(claims._claim_sources).toEqual({
      src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${userId('megan')}/getMemberObjects` },
    });
    expect(claims.roles).toEqual(['Gatehouse.User']);
  });

  it('gives roles through a group assignment, and none to Alex', async () => {
    const emulator = createTestEmulator();
    const lee = decodeJwtPayload((await signInAndRedeem(emulator, 'lee@contoso.test')).tokens.id_token!);
    expect(lee.roles).toEqual(['Gatehouse.User']);
    const alex = decodeJwtPayload((await signInAndRedeem(emulator, 'alex@contoso.test')).tokens.id_token!);
    expect(alex).not.toHaveProperty('roles');
  });

  it('has a pairwise sub: the same user gets another sub in another app', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const claims = decodeJwtPayload(tokens.id_token!);
    expect(claims.sub).not.toBe(claims.oid);
    expect(String(claims.sub)).toHaveLength(43);
  });
});

describe('token endpoint: refresh_token', () => {
  it('rotates like Entra: a new refresh token each time, the old one still valid', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const first = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    const again = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(again.status).toBe(200);
  });

  it('revokes the family on reuse when the switch is on', async () => {
    const emulator = createTestEmulator();
    emulator.control.setRefreshTokenReuse('revoke');
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const first = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    const reuse = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
    const descendant = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
    });
    expect(descendant.body.error).toBe('invalid_grant');
  });

  it('expires on inactivity (AADSTS700082), by the clock or by the control API', async () => {
    const clock = createFakeClock();
    const emulator = createTestEmulator({ clock: clock.now });
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    clock.advance(91 * 24 * 3600 * 1000);
    const inactive = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(inactive.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });

    const second = await signInAndRedeem(emulator, 'adele@contoso.test');
    expect(emulator.control.expireRefreshTokens('adele')).toBeGreaterThan(0);
    const forced = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: second.tokens.refresh_token!,
    });
    expect(forced.body.error_codes).toEqual([700082]);
  });

  it("fails with AADSTS50173 after the user's refresh tokens are revoked", async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const other = await signInAndRedeem(emulator, 'megan@contoso.test');
    emulator.control.revokeRefreshTokens('adele@contoso.test');
    const revoked = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(revoked.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    const unaffected = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: other.tokens.refresh_token!,
    });
    expect(unaffected.status).toBe(200);
    // A new sign-in gets a working refresh token again.
    const fresh = await signInAndRedeem(emulator, 'adele@contoso.test');
    const ok = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: fresh.tokens.refresh_token!,
    });
    expect(ok.status).toBe(200);
  });

  it("carries the user's current roles and groups in the refreshed ID token", async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.removeAppRole('adele', 'Gatehouse.User');
    emulator.control.removeFromGroup('adele', 'Marketing');
    const { body } = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    const claims = decodeJwtPayload(body.id_token as string);
    expect(claims).not.toHaveProperty('roles');
    expect(claims.groups).not.toContain(groupId('Marketing'));
    emulator.control.reset();
    const restored = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(decodeJwtPayload(restored.body.id_token as string).roles).toEqual(['Gatehouse.User']);
  });

  it('redeems for another resource; an unconsented one fails with AADSTS65001 consent_required', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const api = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: `api://${GATEHOUSE_CLIENT_ID}/access_as_user`,
    });
    expect(decodeJwtPayload(api.body.access_token as string)).toMatchObject({
      aud: GATEHOUSE_CLIENT_ID,
      ver: '2.0',
      scp: 'access_as_user',
      azp: GATEHOUSE_CLIENT_ID,
    });
    expect(api.body.scope).toBe(`api://${GATEHOUSE_CLIENT_ID}/access_as_user`);
    const noConsent = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: 'https://graph.microsoft.com/Mail.Read',
    });
    expect(noConsent.body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [65001],
      suberror: 'consent_required',
    });
    const twoResources = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: `User.Read ${emulator.sharepointUrl}/AllSites.Read`,
    });
    expect(twoResources.body.error_codes).toEqual([28000]);
  });

  it('honours the access-token lifetime setting', async () => {
    const emulator = createTestEmulator();
    emulator.control.setAccessTokenLifetime(5);
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    expect(tokens.expires_in).toBe(5);
    const claims = decodeJwtPayload(tokens.access_token!);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(5);
  });
});

describe('on-behalf-of', () => {
  it("exchanges a token for the app's own API for a Graph token", async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test', {
      scope: `openid offline_access api://${GATEHOUSE_CLIENT_ID}/access_as_user`,
    });
    const obo = await tokenRequest(emulator, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: tokens.access_token!,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    expect(obo.status).toBe(200);
    expect(decodeJwtPayload(obo.body.access_token as string)).toMatchObject({
      scp: 'User.Read',
      oid: userId('adele'),
    });
    // A Graph token is not for this app: an API must not exchange it.
    const wrongAudience = await tokenRequest(emulator, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: obo.body.access_token as string,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    expect(wrongAudience.body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });
  });
});

describe('key rotation', () => {
  it('signs with a new kid; the old key disappears unless kept, and Graph refuses tokens signed with it', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const keys = async () =>
      (
        (await json(await emulator.fetch(new Request(`${TENANT_BASE}/discovery/v2.0/keys`)))).keys as Array<{
          kid: string;
        }>
      ).map((k) => k.kid);
    const [oldKid] = await keys();
    const kept = emulator.control.rotateKeys({ keepOld: true });
    expect(await keys()).toEqual([kept, oldKid]);
    expect((await graphGet(emulator, '/me', tokens.access_token!)).status).toBe(200);

    const dropped = emulator.control.rotateKeys({ keepOld: false });
    expect(await keys()).toEqual([dropped]);
    const refused = await graphGet(emulator, '/me', tokens.access_token!);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('InvalidAuthenticationToken');

    const refreshed = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    const header = JSON.parse(
      Buffer.from((refreshed.body.id_token as string).split('.')[0]!, 'base64url').toString(),
    );
    expect(header).toMatchObject({ alg: 'RS256', kid: dropped, typ: 'JWT' });
  });
});

describe('logout', () => {
  it('ends the SSO session, calls front-channel logout with sid, and redirects to a registered URI', async () => {
    const emulator = createTestEmulator();
    const { code, cookies } = await getCode(emulator, 'adele@contoso.test');
    const { body } = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: GATEHOUSE_REDIRECT_URI,
    });
    const sid = decodeJwtPayload(body.id_token as string).sid as string;
    const url = new URL(`${TENANT_BASE}/oauth2/v2.0/logout`);
    url.searchParams.set('id_token_hint', body.id_token as string);
    url.searchParams.set('post_logout_redirect_uri', 'http://localhost:3080/login');
    const response = await emulator.fetch(
      new Request(url, { headers: { cookie: `ESTSAUTH=${cookies.get('ESTSAUTH')}` } }),
    );
    const html = await response.text();
    expect(html).toContain(`src="http://localhost:3080/oauth/openid/frontchannel-logout?sid=${sid}"`);
    expect(html).toContain('location.replace');
    expect(html).toContain('http:\\/\\/localhost:3080\\/login'.replaceAll('\\/', '/'));
    expect(response.headers.get('set-cookie')).toMatch(/ESTSAUTH=;/);
    expect(response.headers.get('content-security-policy')).toContain('frame-src http://localhost:3080');

    // The session is gone: prompt=none now needs a sign-in.
    const after = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ prompt: 'none' }),
      cookies,
    });
    expect(after.kind === 'redirect' && after.url.searchParams.get('error')).toBe('login_required');
  });

  it('accepts a logout_hint alone, redirecting to a URI registered by an app of the session', async () => {
    const emulator = createTestEmulator();
    const { tokens, cookies } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const hint = decodeJwtPayload(tokens.id_token!).login_hint as string;
    const url = new URL(`${TENANT_BASE}/oauth2/v2.0/logout`);
    url.searchParams.set('logout_hint', hint);
    url.searchParams.set('post_logout_redirect_uri', GATEHOUSE_REDIRECT_URI);
    const response = await emulator.fetch(
      new Request(url, { headers: { cookie: `ESTSAUTH=${cookies.get('ESTSAUTH')}` } }),
    );
    expect(await response.text()).toContain(`id="continue" href="${GATEHOUSE_REDIRECT_URI}"`);
  });

  it('does not redirect to an unregistered post_logout_redirect_uri', async () => {
    const emulator = createTestEmulator();
    const url = new URL(`${TENANT_BASE}/oauth2/v2.0/logout`);
    url.searchParams.set('client_id', GATEHOUSE_CLIENT_ID);
    url.searchParams.set('post_logout_redirect_uri', 'https://evil.example/');
    const html = await (await emulator.fetch(new Request(url))).text();
    expect(html).toContain('You signed out of your account');
    expect(html).not.toContain('evil.example');
  });
});
