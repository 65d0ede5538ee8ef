/**
 * Multi-tenant sign-in: OPENID_ISSUER on Entra's `organizations` endpoint, with the emulator answering
 * as `https://login.microsoftonline.com` (so openid-client ties each ID token's `iss` to its `tid`, as
 * in production) and a second organisation, Fabrikam. OPENID_ALLOWED_TENANTS decides who may sign in;
 * sessions, users and front-channel logout keep the tenants apart.
 */
import { type AccessDeniedResponse, routes, type SessionResponse } from '@gatehouse/contracts';
import {
  CONTOSO_TENANT_ID,
  contosoSeed,
  FABRIKAM_PASSWORD,
  FABRIKAM_TENANT_ID,
  type Seed,
} from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findUserById } from '../src/users/user-repository';
import { APP_ORIGIN, createHarness, type Harness, refreshGrants } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const ENTRA = 'https://login.microsoftonline.com';
const RAVI = 'ravi@fabrikam.onmicrosoft.com';
const ADELE = 'adele@contoso.test';
const host = new URL(APP_ORIGIN).host;
const MINUTE = 60_000;

/** The demo seed with Gatehouse's app registration made multi-tenant (`AzureADMultipleOrgs`). */
const multiTenantSeed: Seed = {
  ...contosoSeed,
  applications: [{ ...contosoSeed.applications[0]!, signInAudience: 'AzureADMultipleOrgs' }],
};

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(allowedTenants: string, seed: Seed = multiTenantSeed): Promise<Harness> {
  harness = await createHarness({
    seed,
    emulatorBaseUrl: ENTRA,
    env: {
      OPENID_ISSUER: `${ENTRA}/organizations/v2.0`,
      OPENID_ALLOWED_TENANTS: allowedTenants,
      // Not the published development secret: the issuer is not on this machine.
      OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
    },
  });
  // Fabrikam's administrators assign Gatehouse's role to their own people, as Entra lets them.
  harness.emulator.control.addAppRole(RAVI, 'Gatehouse.User');
  return harness;
}

async function signInAs(h: Harness, user: string) {
  const browser = h.newBrowser();
  const end = await h.signIn(browser, user, user === RAVI ? { password: FABRIKAM_PASSWORD } : {});
  const sessionId = browser.cookies(host)['__Host-gatehouse'];
  return { browser, end, sessionId };
}

async function sessionOf(h: Harness, browser: ReturnType<Harness['newBrowser']>) {
  const response = await h.api(browser, routes.session);
  expect(response.status).toBe(200);
  return (await response.json()) as SessionResponse;
}

describe('multi-tenant sign-in (organizations issuer)', () => {
  it('admits a Fabrikam user when Fabrikam is allowed, with a Fabrikam session that refreshes', async () => {
    const h = await start(`${CONTOSO_TENANT_ID},${FABRIKAM_TENANT_ID}`);
    h.emulator.control.setAccessTokenLifetime(10 * 60);
    const ravi = await signInAs(h, RAVI);
    expect(ravi.end.url.href).toBe(`${APP_ORIGIN}/`);
    expect((await sessionOf(h, ravi.browser)).user).toMatchObject({
      email: RAVI,
      roles: ['Gatehouse.User'],
    });
    const stored = (await h.store.get(ravi.sessionId!))!;
    expect(stored.issuer).toBe(`${ENTRA}/${FABRIKAM_TENANT_ID}/v2.0`);
    const firstAccessToken = stored.tokens.accessToken;

    // The refresh goes through the organizations endpoint and comes back with Fabrikam's tokens.
    h.emulator.control.resetCounters();
    h.advance(6 * MINUTE);
    expect((await sessionOf(h, ravi.browser)).user.email).toBe(RAVI);
    expect(refreshGrants(h)).toBe(1);
    expect((await h.store.get(ravi.sessionId!))!.tokens.accessToken).not.toBe(firstAccessToken);
  });

  it('keeps a Fabrikam user out when only Contoso is allowed: no session, the page names the organisation', async () => {
    const h = await start(CONTOSO_TENANT_ID);
    const ravi = await signInAs(h, RAVI);
    expect(ravi.end.url.href).toBe(`${APP_ORIGIN}/access-denied`);
    expect(ravi.sessionId).toBeUndefined();
    const denied = await h.api(ravi.browser, routes.accessDenied);
    expect((await denied.json()) as AccessDeniedResponse).toEqual({
      requiredGroups: [],
      tenant: { tenantId: FABRIKAM_TENANT_ID, domain: 'fabrikam.onmicrosoft.com' },
    });
    expect((await h.api(ravi.browser, routes.session)).status).toBe(401);
    const refusal = h.logs.find((line) => line.includes('not in OPENID_ALLOWED_TENANTS'));
    expect(refusal).toContain(`"tid":"${FABRIKAM_TENANT_ID}"`);
    expect(refusal).toContain('"event":"security"');

    // The same configuration admits Contoso's people.
    const adele = await signInAs(h, ADELE);
    expect(adele.end.url.href).toBe(`${APP_ORIGIN}/`);
    const session = (await h.store.get(adele.sessionId!))!;
    expect(session.issuer).toBe(`${ENTRA}/${CONTOSO_TENANT_ID}/v2.0`);
    // Ravi's refusal left no user behind: Adele is the only one, keyed by her own tenant.
    const user = (await findUserById(h.deps.database.db, session.userId))!;
    expect(user).toMatchObject({ tenantId: CONTOSO_TENANT_ID, email: ADELE });
    const rows = await h.deps.database.db.selectFrom('users').select(['tenant_id']).execute();
    expect(rows).toEqual([{ tenant_id: CONTOSO_TENANT_ID }]);
  });

  it('admits every organisation with OPENID_ALLOWED_TENANTS=*, each user keyed by their own tenant', async () => {
    const h = await start('*');
    const tenants: Record<string, string> = { [RAVI]: FABRIKAM_TENANT_ID, [ADELE]: CONTOSO_TENANT_ID };
    for (const user of [RAVI, ADELE]) {
      const { end, browser, sessionId } = await signInAs(h, user);
      expect(end.url.href).toBe(`${APP_ORIGIN}/`);
      expect((await sessionOf(h, browser)).user.email).toBe(user);
      const session = (await h.store.get(sessionId!))!;
      const row = (await findUserById(h.deps.database.db, session.userId))!;
      expect(row.tenantId).toBe(tenants[user]);
    }
  });

  it("lands on Entra's own refusal when the app registration is single-tenant (AADSTS50194)", async () => {
    const h = await start(`${CONTOSO_TENANT_ID},${FABRIKAM_TENANT_ID}`, contosoSeed);
    const browser = h.newBrowser();
    const toProvider = await browser.navigate(new URL(routes.login, APP_ORIGIN), {
      stopAt: (url) => url.origin === ENTRA,
    });
    const page = await browser.navigate(toProvider.url);
    expect(page.url.origin).toBe(ENTRA);
    expect(page.body).toContain('AADSTS50194');
  });
});

describe('front-channel logout with a multi-tenant issuer', () => {
  async function twoTenants() {
    const h = await start(`${CONTOSO_TENANT_ID},${FABRIKAM_TENANT_ID}`);
    const ravi = await signInAs(h, RAVI);
    const adele = await signInAs(h, ADELE);
    const raviSid = (await h.store.get(ravi.sessionId!))!.providerSid!;
    const adeleSid = (await h.store.get(adele.sessionId!))!.providerSid!;
    expect(raviSid).toBeTruthy();
    expect(adeleSid).toBeTruthy();
    return { h, ravi, adele, raviSid, adeleSid };
  }

  const logout = (h: Harness, query: Record<string, string>) =>
    h.newBrowser().navigate(`${APP_ORIGIN}${routes.frontChannelLogout}?${new URLSearchParams(query)}`);

  it("with iss and sid ends only that tenant's session", async () => {
    const { h, ravi, adele, raviSid, adeleSid } = await twoTenants();
    const fabrikamIssuer = `${ENTRA}/${FABRIKAM_TENANT_ID}/v2.0`;
    // Contoso's sid under Fabrikam's issuer: not Fabrikam's session, so nothing ends.
    expect((await logout(h, { iss: fabrikamIssuer, sid: adeleSid })).response.status).toBe(200);
    expect(await h.store.get(adele.sessionId!)).toBeDefined();
    // Another provider's issuer is ignored.
    await logout(h, { iss: 'https://evil.example/v2.0', sid: raviSid });
    expect(await h.store.get(ravi.sessionId!)).toBeDefined();

    await logout(h, { iss: fabrikamIssuer, sid: raviSid });
    expect(await h.store.get(ravi.sessionId!)).toBeUndefined();
    expect(await h.store.get(adele.sessionId!)).toBeDefined();
  });

  it('with sid alone (as Entra sends it) ends the session of that sid, whichever tenant', async () => {
    const { h, ravi, adele, adeleSid } = await twoTenants();
    await logout(h, { sid: adeleSid });
    expect(await h.store.get(adele.sessionId!)).toBeUndefined();
    expect(await h.store.get(ravi.sessionId!)).toBeDefined();
  });
});
