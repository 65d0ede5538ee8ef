import { describe, expect, it } from 'vitest';
import {
  CONTOSO_TENANT_ID,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from '../src/seed/contoso';
import { FABRIKAM_PASSWORD, FABRIKAM_TENANT_ID, fabrikamTenant } from '../src/seed/fabrikam';
import { signIn } from '../src/testing';
import { authorizeUrl, BASE, createTestEmulator, decodeJwtPayload, multiTenantSeed } from './helpers';

/**
 * The `{tenant}` of `/{tenant}/oauth2/v2.0/authorize` and `/token`, checked as Entra checks it: the
 * tenant exists, has the app, and is the one a code or refresh token was issued for.
 */

type TestEmulator = ReturnType<typeof createTestEmulator>;
const ravi = fabrikamTenant.users[0]!;

function authorizeOn(segment: string, scope?: string): URL {
  return new URL(
    authorizeUrl(scope ? { scope } : {})
      .toString()
      .replace(CONTOSO_TENANT_ID, segment),
  );
}

async function token(emulator: TestEmulator, segment: string, params: Record<string, string>) {
  const response = await emulator.fetch(
    new Request(`${BASE}/${segment}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: GATEHOUSE_CLIENT_ID,
        client_secret: GATEHOUSE_CLIENT_SECRET,
        ...params,
      }),
    }),
  );
  // biome-ignore lint/suspicious/noExplicitAny: tests read Entra's JSON
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const redeem = (emulator: TestEmulator, segment: string, code: string) =>
  token(emulator, segment, { grant_type: 'authorization_code', code, redirect_uri: GATEHOUSE_REDIRECT_URI });

/** A code for Ravi (Fabrikam) or Adele (Contoso), from the authorize endpoint on `segment`. */
async function codeFor(emulator: TestEmulator, who: 'ravi' | 'adele', segment: string) {
  const result = await signIn({
    fetch: emulator.fetch,
    authorizeUrl: authorizeOn(segment),
    username: who === 'ravi' ? ravi.userPrincipalName : 'adele@contoso.test',
    password: who === 'ravi' ? FABRIKAM_PASSWORD : 'Passw0rd!',
  });
  if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${result.kind}`);
  return result.url.searchParams.get('code')!;
}

describe('the tenant in the URL', () => {
  it('refuses a tenant the emulator does not have with AADSTS90002, at authorize and at token', async () => {
    const emulator = createTestEmulator();
    const page = await emulator.fetch(new Request(authorizeOn('northwind.onmicrosoft.com')));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS90002: Tenant &#39;northwind.onmicrosoft.com&#39; not found');

    const { status, body } = await token(emulator, '00000000-0000-0000-0000-00000000beef', {
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
    expect(body.error_codes).toEqual([90002]);
  });

  it('takes a verified domain for the tenant id, and common/organizations for a multi-tenant app', async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    for (const segment of ['fabrikam.onmicrosoft.com', 'organizations', 'common']) {
      const { status, body } = await redeem(emulator, segment, await codeFor(emulator, 'ravi', segment));
      expect(status, JSON.stringify(body)).toBe(200);
      expect(decodeJwtPayload(body.id_token).tid).toBe(FABRIKAM_TENANT_ID);
    }
  });

  it('knows /consumers (its metadata names the personal accounts tenant), but no app of the emulator takes personal accounts (AADSTS70002)', async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const page = await emulator.fetch(new Request(authorizeOn('consumers')));
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('AADSTS70002');
    expect(html).not.toContain('AADSTS90002');
    const { status, body } = await redeem(emulator, 'Consumers', 'any-code');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'unauthorized_client', error_codes: [70002] });
    // Its metadata exists, with the personal accounts' tenant as issuer.
    const metadata = await emulator.fetch(
      new Request(`${BASE}/consumers/v2.0/.well-known/openid-configuration`),
    );
    expect(metadata.status).toBe(200);
    const document = (await metadata.json()) as Record<string, unknown>;
    expect(document.issuer).toBe(`${BASE}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`);
    expect(document.authorization_endpoint).toBe(`${BASE}/consumers/oauth2/v2.0/authorize`);
    expect(document.tenant_region_scope).toBeNull();
    const keys = await emulator.fetch(new Request(`${BASE}/consumers/discovery/v2.0/keys`));
    expect(keys.status).toBe(200);
  });

  it("refuses a single-tenant app at another tenant's token endpoint (AADSTS700016) and at /common (AADSTS50194)", async () => {
    const emulator = createTestEmulator();
    const code = await codeFor(emulator, 'adele', CONTOSO_TENANT_ID);
    const onFabrikam = await redeem(emulator, FABRIKAM_TENANT_ID, code);
    expect(onFabrikam.status).toBe(400);
    expect(onFabrikam.body.error).toBe('unauthorized_client');
    expect(onFabrikam.body.error_codes).toEqual([700016]);
    expect(onFabrikam.body.error_description).toContain(
      `was not found in the directory '${FABRIKAM_TENANT_ID}'`,
    );
    const onCommon = await redeem(emulator, 'common', code);
    expect(onCommon.body.error_codes).toEqual([50194]);
    // Neither attempt reached the code: it still redeems where it was issued.
    expect((await redeem(emulator, 'contoso.onmicrosoft.com', code)).status).toBe(200);
  });

  it("refuses a code redeemed at another tenant's endpoint than its tokens' (AADSTS700005)", async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const raviCode = await codeFor(emulator, 'ravi', 'organizations');
    const wrong = await redeem(emulator, CONTOSO_TENANT_ID, raviCode);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [700005] });
    expect(wrong.body.error_description).toMatch(/^AADSTS700005: Provided Authorization Code is intended/);

    const adeleCode = await codeFor(emulator, 'adele', CONTOSO_TENANT_ID);
    const onFabrikam = await redeem(emulator, 'fabrikam.onmicrosoft.com', adeleCode);
    expect(onFabrikam.body.error_codes).toEqual([700005]);
    // Fabrikam's own endpoint redeems a Fabrikam code made on /organizations.
    const right = await redeem(
      emulator,
      FABRIKAM_TENANT_ID,
      await codeFor(emulator, 'ravi', 'organizations'),
    );
    expect(right.status).toBe(200);
  });

  it("refuses a refresh token at another tenant's endpoint (AADSTS7000012), not at its own or /organizations", async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const first = await redeem(emulator, 'organizations', await codeFor(emulator, 'ravi', 'organizations'));
    const refresh = (segment: string) =>
      token(emulator, segment, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });

    const wrong = await refresh(CONTOSO_TENANT_ID);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [7000012] });
    for (const segment of ['organizations', 'common', FABRIKAM_TENANT_ID]) {
      const { status, body } = await refresh(segment);
      expect(status, segment).toBe(200);
      expect(decodeJwtPayload(body.access_token).tid).toBe(FABRIKAM_TENANT_ID);
    }
  });

  it('refuses app-only tokens in a tenant where the app was never installed (AADSTS700016) and on common or organizations (AADSTS50059)', async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const params = { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' };
    const foreign = await token(emulator, FABRIKAM_TENANT_ID, params);
    expect(foreign.body.error_codes).toEqual([700016]);
    const home = await token(emulator, CONTOSO_TENANT_ID, params);
    expect(home.status).toBe(200);
    expect(decodeJwtPayload(home.body.access_token).tid).toBe(CONTOSO_TENANT_ID);
    for (const segment of ['common', 'organizations']) {
      const nowhere = await token(emulator, segment, params);
      expect(nowhere.status, segment).toBe(400);
      expect(nowhere.body.error).toBe('invalid_request');
      expect(nowhere.body.error_codes).toEqual([50059]);
    }
  });
});
