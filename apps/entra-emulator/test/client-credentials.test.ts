import { describe, expect, it } from 'vitest';
import { contosoSeed } from '../src/index';
import { createTestEmulator, decodeJwtPayload, graphGet, signInAndRedeem, tokenRequest } from './helpers';

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

async function appToken(emulator: ReturnType<typeof createTestEmulator>) {
  const { status, body } = await tokenRequest(emulator, {
    grant_type: 'client_credentials',
    scope: GRAPH_DEFAULT,
  });
  expect(status).toBe(200);
  return body.access_token as string;
}

describe('client credentials and app-only Graph', () => {
  it("issues an app-only Graph token carrying the app's consented application permissions", async () => {
    const emulator = createTestEmulator();
    const claims = decodeJwtPayload(await appToken(emulator));
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      idtyp: 'app',
      appid: contosoSeed.applications[0]!.clientId,
      roles: ['GroupMember.Read.All'],
      tid: contosoSeed.tenant.id,
    });
    expect(claims.upn).toBeUndefined();
    expect(claims.scp).toBeUndefined();
    expect(emulator.control.counters().token.client_credentials).toBeDefined();
  });

  it('refuses a scope without /.default (AADSTS1002012) and a client without a credential (AADSTS7000218)', async () => {
    const emulator = createTestEmulator();
    const delegated = await tokenRequest(emulator, { grant_type: 'client_credentials', scope: 'User.Read' });
    expect(delegated.status).toBe(400);
    expect(delegated.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });

    const app = contosoSeed.applications[0]!;
    const publicApp = { ...app, clientId: '11111111-2222-4333-8444-555555555555', secrets: [] };
    const withPublic = createTestEmulator({
      seed: { ...contosoSeed, applications: [...contosoSeed.applications, publicApp] },
    });
    const refused = await tokenRequest(
      withPublic,
      { grant_type: 'client_credentials', scope: GRAPH_DEFAULT },
      { clientId: publicApp.clientId, secret: '' },
    );
    expect(refused.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
  });

  it('finds groups by display name (case-insensitive) and by id; both Support groups share one name', async () => {
    const emulator = createTestEmulator();
    const token = await appToken(emulator);
    const marketing = await graphGet(
      emulator,
      `/groups?$filter=${encodeURIComponent("displayName eq 'marketing'")}&$select=id,displayName`,
      token,
    );
    expect(marketing.status).toBe(200);
    expect(marketing.body.value).toEqual([
      { id: contosoSeed.groups.find((g) => g.mailNickname === 'marketing')!.id, displayName: 'Marketing' },
    ]);
    const support = await graphGet(
      emulator,
      `/groups?$filter=${encodeURIComponent("displayName eq 'Support'")}&$select=id,description`,
      token,
    );
    expect(support.body.value).toHaveLength(2);

    const engineering = contosoSeed.groups.find((g) => g.mailNickname === 'engineering')!;
    const one = await graphGet(emulator, `/groups/${engineering.id}?$select=displayName`, token);
    expect(one.body).toMatchObject({ displayName: 'Engineering' });
  });

  it('answers /me with 400 and other routes with 403 for an app; without a group permission, /groups is 403', async () => {
    const emulator = createTestEmulator();
    const token = await appToken(emulator);
    expect((await graphGet(emulator, '/me', token)).status).toBe(400);
    expect((await graphGet(emulator, '/users', token)).status).toBe(403);

    const app = contosoSeed.applications[0]!;
    const unconsented = createTestEmulator({
      seed: { ...contosoSeed, applications: [{ ...app, applicationPermissions: {} }] },
    });
    const bare = await appToken(unconsented);
    expect(decodeJwtPayload(bare).roles).toBeUndefined();
    const refused = await graphGet(unconsented, '/groups', bare);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('Authorization_RequestDenied');
  });

  it('still serves delegated (user) tokens as before', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test', {
      scope: 'openid profile User.Read',
    });
    expect((await graphGet(emulator, '/me', tokens.access_token!)).status).toBe(200);
  });
});
