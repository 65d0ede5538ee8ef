import { describe, expect, it } from 'vitest';
import {
  contosoSeed,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from '../src/seed/contoso';
import { FABRIKAM_PASSWORD, FABRIKAM_TENANT_ID, fabrikamTenant } from '../src/seed/fabrikam';
import { signIn } from '../src/testing';
import {
  authorizeUrl,
  BASE,
  createTestEmulator,
  decodeJwtPayload,
  graphGet,
  json,
  multiTenantSeed,
} from './helpers';

const ravi = fabrikamTenant.users[0]!;

/** The authorize URL of the helpers, on another tenant segment. */
function authorizeOn(segment: string, params: Parameters<typeof authorizeUrl>[0] = {}): URL {
  return new URL(authorizeUrl(params).toString().replace(contosoSeed.tenant.id, segment));
}

async function redeem(emulator: ReturnType<typeof createTestEmulator>, segment: string, code: string) {
  const response = await emulator.fetch(
    new Request(`${BASE}/${segment}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: GATEHOUSE_REDIRECT_URI,
        client_id: GATEHOUSE_CLIENT_ID,
        client_secret: GATEHOUSE_CLIENT_SECRET,
      }),
    }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string>;
}

async function signInFabrikam(emulator: ReturnType<typeof createTestEmulator>, segment: string) {
  return signIn({
    fetch: emulator.fetch,
    authorizeUrl: authorizeOn(segment),
    username: ravi.userPrincipalName,
    password: FABRIKAM_PASSWORD,
  });
}

describe('a second tenant (Fabrikam)', () => {
  it("serves Fabrikam's own metadata, by id and by domain", async () => {
    const emulator = createTestEmulator();
    for (const segment of [FABRIKAM_TENANT_ID, 'fabrikam.onmicrosoft.com']) {
      const metadata = await json(
        await emulator.fetch(new Request(`${BASE}/${segment}/v2.0/.well-known/openid-configuration`)),
      );
      expect(metadata.issuer).toBe(`${BASE}/${FABRIKAM_TENANT_ID}/v2.0`);
      expect(metadata.token_endpoint).toBe(`${BASE}/${FABRIKAM_TENANT_ID}/oauth2/v2.0/token`);
    }
    expect(emulator.issuer('fabrikam.onmicrosoft.com')).toBe(`${BASE}/${FABRIKAM_TENANT_ID}/v2.0`);
  });

  it.each(['organizations', 'common', FABRIKAM_TENANT_ID])(
    'issues Fabrikam tokens to a Fabrikam user of a multi-tenant app on /%s',
    async (segment) => {
      const emulator = createTestEmulator({ seed: multiTenantSeed });
      const result = await signInFabrikam(emulator, segment);
      if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${result.kind}`);
      const tokens = await redeem(emulator, segment, result.url.searchParams.get('code')!);
      const id = decodeJwtPayload(tokens.id_token!);
      expect(id).toMatchObject({
        iss: `${BASE}/${FABRIKAM_TENANT_ID}/v2.0`,
        tid: FABRIKAM_TENANT_ID,
        oid: ravi.id,
        preferred_username: ravi.userPrincipalName,
      });
      const access = decodeJwtPayload(tokens.access_token!);
      expect(access).toMatchObject({
        iss: `https://sts.windows.net/${FABRIKAM_TENANT_ID}/`,
        tid: FABRIKAM_TENANT_ID,
      });
    },
  );

  it('refuses a single-tenant app from another tenant as Entra does', async () => {
    const emulator = createTestEmulator();
    for (const segment of ['organizations', 'common']) {
      const page = await emulator.fetch(new Request(authorizeOn(segment), { redirect: 'manual' }));
      expect(await page.text()).toContain('AADSTS50194');
    }
    const onFabrikam = await emulator.fetch(
      new Request(authorizeOn(FABRIKAM_TENANT_ID), { redirect: 'manual' }),
    );
    const html = await onFabrikam.text();
    expect(html).toContain('AADSTS700016');
    expect(html).toContain(`was not found in the directory &#39;${FABRIKAM_TENANT_ID}&#39;`);
  });

  it("refuses a Fabrikam user on Contoso's own endpoint (AADSTS50020), even with a multi-tenant app", async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const result = await signInFabrikam(emulator, contosoSeed.tenant.id);
    expect(result.kind).toBe('page');
    if (result.kind !== 'page') return;
    expect(result.html).toContain('AADSTS50020');
    expect(result.html).toContain('does not exist in tenant &#39;Contoso&#39;');
    // Silent SSO on Contoso's endpoint is refused the same way, to the app this time.
    const silent = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeOn(contosoSeed.tenant.id, { prompt: 'none' }),
      cookies: result.cookies,
    });
    expect(silent.kind).toBe('redirect');
    if (silent.kind === 'redirect')
      expect(silent.url.searchParams.get('error_description')).toContain('AADSTS50020');
  });

  it("keeps Contoso's password apart from Fabrikam's", async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeOn('organizations'),
      username: ravi.userPrincipalName,
      password: 'Passw0rd!',
    });
    expect(result.kind).toBe('page');
    if (result.kind === 'page') expect(result.html).toContain('Your account or password is incorrect');
  });

  it("shows a Fabrikam user Fabrikam's directory only in Graph", async () => {
    const emulator = createTestEmulator({ seed: multiTenantSeed });
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeOn('organizations', {
        scope:
          'openid profile offline_access User.Read User.ReadBasic.All GroupMember.Read.All People.Read Files.Read.All',
      }),
      username: ravi.userPrincipalName,
      password: FABRIKAM_PASSWORD,
    });
    if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${result.kind}`);
    const token = (await redeem(emulator, 'organizations', result.url.searchParams.get('code')!))
      .access_token!;

    const me = await graphGet(emulator, '/me', token);
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe(ravi.userPrincipalName);

    const users = await graphGet(emulator, '/users?$top=999', token);
    expect(users.body.value.map((u: { id: string }) => u.id).sort()).toEqual(
      fabrikamTenant.users.map((u) => u.id).sort(),
    );
    const search = await graphGet(emulator, '/users?$search="displayName:adele"', token, {
      ConsistencyLevel: 'eventual',
    });
    expect(search.body.value).toEqual([]);
    const adele = contosoSeed.users[0]!;
    expect((await graphGet(emulator, `/users/${adele.id}`, token)).status).toBe(404);
    const groups = await graphGet(emulator, '/groups?$top=999', token);
    expect(groups.body.value.map((g: { displayName: string }) => g.displayName)).toEqual(['Fabrikam Staff']);
    const marketing = contosoSeed.groups.find((g) => g.displayName === 'Marketing')!;
    expect((await graphGet(emulator, `/groups/${marketing.id}`, token)).status).toBe(404);
    const people = await graphGet(emulator, '/me/people', token);
    expect(
      people.body.value.every((p: { id: string }) => fabrikamTenant.users.some((u) => u.id === p.id)),
    ).toBe(true);
    // Contoso's SharePoint sites are Contoso's.
    expect((await graphGet(emulator, '/sites/root', token)).status).toBeGreaterThanOrEqual(403);
  });

  it('keeps the Contoso Graph view without Fabrikam', async () => {
    const emulator = createTestEmulator();
    const result = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ scope: 'openid profile offline_access User.Read User.ReadBasic.All' }),
      username: 'adele@contoso.test',
      password: 'Passw0rd!',
    });
    if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${result.kind}`);
    const token = (await redeem(emulator, contosoSeed.tenant.id, result.url.searchParams.get('code')!))
      .access_token!;
    const users = await graphGet(emulator, '/users?$top=999', token);
    expect(users.body.value).toHaveLength(contosoSeed.users.length);
    expect((await graphGet(emulator, `/users/${ravi.id}`, token)).status).toBe(404);
  });

  it('refuses a seed whose other tenant reuses an id or reaches into another tenant', () => {
    const adele = contosoSeed.users[0]!;
    expect(() =>
      createTestEmulator({
        seed: {
          ...contosoSeed,
          otherTenants: [
            {
              ...fabrikamTenant,
              tenant: { ...fabrikamTenant.tenant, aliases: ['contoso'] },
              groups: [{ ...fabrikamTenant.groups[0]!, members: [adele.id] }],
            },
          ],
        },
      }),
    ).toThrow(/reuses the tenant id or alias "contoso"[\s\S]*belongs to another tenant/);
  });
});
