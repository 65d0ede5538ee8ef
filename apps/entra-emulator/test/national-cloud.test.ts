/**
 * The emulator as a national cloud: its metadata names the cloud, and Graph is the cloud's resource
 * (a scope on https://graph.microsoft.com is unknown there, as in Entra for US Government).
 */
import { describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID, createEmulator, startEmulator } from '../src/index';
import {
  BASE,
  createTestEmulator,
  decodeJwtPayload,
  graphGet,
  json,
  signInAndRedeem,
  TENANT_BASE,
  tokenRequest,
} from './helpers';

const metadataOf = async (emulator: { fetch: (r: Request) => Promise<Response> }, base = TENANT_BASE) =>
  json(await emulator.fetch(new Request(`${base}/v2.0/.well-known/openid-configuration`)));

const control = (emulator: ReturnType<typeof createTestEmulator>, body: unknown) =>
  emulator.fetch(
    new Request(`${BASE}/_emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

describe('the emulator as a national cloud', () => {
  it("publishes the cloud's cloud_instance_name and msgraph_host, with the issuer on its baseUrl", async () => {
    const emulator = createEmulator({ baseUrl: 'https://login.microsoftonline.us', cloud: 'usgov-high' });
    const metadata = await metadataOf(emulator, `https://login.microsoftonline.us/${CONTOSO_TENANT_ID}`);
    expect(metadata).toMatchObject({
      issuer: `https://login.microsoftonline.us/${CONTOSO_TENANT_ID}/v2.0`,
      token_endpoint: `https://login.microsoftonline.us/${CONTOSO_TENANT_ID}/oauth2/v2.0/token`,
      cloud_instance_name: 'microsoftonline.us',
      msgraph_host: 'graph.microsoft.us',
      cloud_graph_host_name: 'graph.microsoftazure.us',
    });
    expect(metadata.tenant_region_scope).toBeUndefined();
    // The global cloud, as before: Graph is the emulator itself.
    expect(await metadataOf(createTestEmulator())).toMatchObject({
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'localhost:3090',
      tenant_region_scope: 'EU',
    });
  });

  it("issues Graph tokens for the cloud's Graph resource only (AADSTS500011 for graph.microsoft.com)", async () => {
    const emulator = createTestEmulator({ cloud: 'usgov-high' });
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test', {
      scope: 'openid profile offline_access https://graph.microsoft.us/User.Read',
    });
    expect(decodeJwtPayload(tokens.access_token!).aud).toBe('00000003-0000-0000-c000-000000000000');
    expect((await graphGet(emulator, '/me', tokens.access_token!)).body.userPrincipalName).toBe(
      'adele@contoso.test',
    );
    const global = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    expect(global.status).toBe(400);
    expect(global.body.error_codes).toEqual([500011]);
    const appOnly = await tokenRequest(emulator, {
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.us/.default',
    });
    expect(appOnly.status).toBe(200);
    expect(decodeJwtPayload(appOnly.body.access_token as string).aud).toBe('https://graph.microsoft.us');
  });

  it('changes cloud through the control API, refuses an unknown one, and reset() restores the start option', async () => {
    const emulator = createTestEmulator({ cloud: 'usgov-high' });
    const changed = await control(emulator, { cloud: 'usgov-dod' });
    expect((await json(changed)).cloud).toBe('usgov-dod');
    expect((await metadataOf(emulator)).msgraph_host).toBe('dod-graph.microsoft.us');
    const bad = await control(emulator, { cloud: 'mars' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toBe(
      'cloud must be one of global, usgov-high, usgov-dod, china, got "mars".',
    );
    emulator.control.reset();
    expect(emulator.control.settings().cloud).toBe('usgov-high');
    expect(() => createEmulator({ cloud: 'mars' as never })).toThrow(/cloud must be one of/);
  });

  it('over HTTP with a national baseUrl, names the public hosts in the links it builds from the request', async () => {
    const emulator = await startEmulator({
      baseUrl: 'https://login.microsoftonline.us',
      cloud: 'usgov-high',
    });
    try {
      expect(emulator.issuer).toBe(`https://login.microsoftonline.us/${CONTOSO_TENANT_ID}/v2.0`);
      const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test', {
        scope: 'openid offline_access https://graph.microsoft.us/User.ReadBasic.All',
      });
      const response = await fetch(`${emulator.url}/v1.0/users?$top=2`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(response.status).toBe(200);
      expect((await json(response))['@odata.nextLink']).toMatch(
        /^https:\/\/graph\.microsoft\.us\/v1\.0\/users\?/,
      );
    } finally {
      await emulator.close();
    }
  });
});
