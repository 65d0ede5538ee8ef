import { DEMO, loadConfig } from '@gatehouse/config';
import { describe, expect, it } from 'vitest';
import { cloudMismatch } from './cloud-check';

const usIssuer = `https://login.microsoftonline.us/${DEMO.tenantId}/v2.0`;
const config = (env: Record<string, string>) =>
  loadConfig({
    OPENID_ISSUER: usIssuer,
    OPENID_CLIENT_ID: DEMO.clientId,
    OPENID_CLIENT_SECRET: 'a-client-secret-of-some-length',
    OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
    ...env,
  });
const metadata = (msgraphHost: string) => ({
  issuer: usIssuer,
  cloud_instance_name: 'microsoftonline.us',
  msgraph_host: msgraphHost,
});

describe('cloudMismatch: discovery refuses metadata of another cloud', () => {
  it("accepts the configuration's cloud", () => {
    expect(cloudMismatch(config({}), metadata('graph.microsoft.us'))).toBeUndefined();
    // No cloud fields (another provider): nothing to compare.
    expect(cloudMismatch(config({}), { issuer: usIssuer })).toBeUndefined();
  });

  it('refuses a DoD tenant configured for GCC High, naming both and the fix', () => {
    expect(cloudMismatch(config({}), metadata('dod-graph.microsoft.us'))).toMatch(
      /metadata says Microsoft Entra for US Government \(DoD\) .* but the configuration is for Microsoft Entra for US Government \(GCC High\) \(issuer host login\.microsoftonline\.us; Graph at https:\/\/graph\.microsoft\.us\/v1\.0\).*Set GRAPH_BASE_URL=https:\/\/dod-graph\.microsoft\.us\/v1\.0/,
    );
    expect(
      cloudMismatch(
        config({ GRAPH_BASE_URL: 'https://dod-graph.microsoft.us/v1.0' }),
        metadata('dod-graph.microsoft.us'),
      ),
    ).toBeUndefined();
  });

  it("refuses metadata of another cloud than the issuer's host", () => {
    expect(
      cloudMismatch(config({ OPENID_ISSUER: `https://login.microsoftonline.com/${DEMO.tenantId}/v2.0` }), {
        cloud_instance_name: 'partner.microsoftonline.cn',
      }),
    ).toMatch(
      /^OPENID_ISSUER: the issuer's host login\.microsoftonline\.com belongs to Microsoft global cloud, but its metadata says Microsoft Entra China/,
    );
  });
});
