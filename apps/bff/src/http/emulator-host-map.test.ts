import { ConfigError, DEMO, devDefaults, loadConfig } from '@gatehouse/config';
import { describe, expect, it } from 'vitest';
import { withEmulatorHostMap } from './emulator-host-map';
import { outboundFetch } from './outbound-fetch';

const map = {
  'login.microsoftonline.us': 'http://localhost:3090',
  'graph.microsoft.us': 'http://localhost:3090',
};

/** An app on this machine, in development: where the map may apply. */
const local = { NODE_ENV: 'development', DOMAIN_SERVER: 'http://localhost:3080' };

/** A fetch that answers every request with what it received. */
function recorder() {
  const seen: { url: string; method: string; auth: string | null; body: string }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      auth: request.headers.get('authorization'),
      body: await request.text(),
    });
    return new Response('ok');
  }) as typeof fetch;
  return { seen, fetchImpl };
}

describe('EMULATOR_HOST_MAP in the outbound fetch', () => {
  it("sends the mapped Microsoft hosts to the emulator's origin, with path, query, method, headers and body", async () => {
    const { seen, fetchImpl } = recorder();
    const mapped = withEmulatorHostMap(
      { ...local, EMULATOR_HOST_MAP: map, GATEHOUSE_EMULATOR: true, isProduction: false },
      fetchImpl,
    );
    await mapped('https://graph.microsoft.us/v1.0/me?$select=id', { headers: { authorization: 'Bearer t' } });
    await mapped(
      new Request(`https://login.microsoftonline.us/${DEMO.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: 'grant_type=refresh_token',
      }),
    );
    await mapped('https://graph.microsoft.com/v1.0/me');
    expect(seen).toEqual([
      { url: 'http://localhost:3090/v1.0/me?$select=id', method: 'GET', auth: 'Bearer t', body: '' },
      {
        url: `http://localhost:3090/${DEMO.tenantId}/oauth2/v2.0/token`,
        method: 'POST',
        auth: null,
        body: 'grant_type=refresh_token',
      },
      // Not in the map: untouched.
      { url: 'https://graph.microsoft.com/v1.0/me', method: 'GET', auth: null, body: '' },
    ]);
  });

  it('is never applied in production, without the emulator, outside development and tests, or for an app on another host, even when a map gets that far', async () => {
    for (const flags of [
      { ...local, GATEHOUSE_EMULATOR: true, isProduction: true },
      { ...local, GATEHOUSE_EMULATOR: false, isProduction: false },
      { ...local, GATEHOUSE_EMULATOR: true, isProduction: false, NODE_ENV: 'staging' },
      {
        ...local,
        GATEHOUSE_EMULATOR: true,
        isProduction: false,
        DOMAIN_SERVER: 'https://gatehouse.contoso.com',
      },
    ]) {
      const { fetchImpl } = recorder();
      expect(withEmulatorHostMap({ EMULATOR_HOST_MAP: map, ...flags }, fetchImpl)).toBe(fetchImpl);
    }
  });

  it('cannot be configured in production: the configuration refuses to load', () => {
    const env = {
      ...devDefaults({
        issuer: `https://login.microsoftonline.us/${DEMO.tenantId}/v2.0`,
        sharepointBaseUrl: 'http://127.0.0.1:3091',
      }),
      OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
      GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
      EMULATOR_HOST_MAP:
        'login.microsoftonline.us=http://localhost:3090,graph.microsoft.us=http://localhost:3090',
    };
    // Development with the emulator: loads, and the outbound fetch maps.
    const config = loadConfig({ ...env, NODE_ENV: 'development' });
    expect(config.EMULATOR_HOST_MAP).toEqual(map);
    expect(outboundFetch(config)).not.toBe(globalThis.fetch);
    // Production: refused, with or without the emulator.
    for (const emulator of ['true', 'false']) {
      let thrown: unknown;
      try {
        loadConfig({ ...env, NODE_ENV: 'production', GATEHOUSE_EMULATOR: emulator });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).issues).toContainEqual(
        expect.objectContaining({
          variable: 'EMULATOR_HOST_MAP',
          severity: 'error',
          problem: expect.stringMatching(/NODE_ENV=production/),
        }),
      );
    }
    // Any NODE_ENV but development or test counts as production; and the app must be on this machine.
    for (const [changes, problem] of [
      [{ NODE_ENV: 'staging' }, /NODE_ENV=staging/],
      [{ NODE_ENV: 'development', DOMAIN_SERVER: 'https://gatehouse.contoso.com' }, /not this machine/],
    ] as const) {
      let thrown: unknown;
      try {
        loadConfig({ ...env, ...changes });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as ConfigError).issues).toContainEqual(
        expect.objectContaining({
          variable: 'EMULATOR_HOST_MAP',
          severity: 'error',
          problem: expect.stringMatching(problem),
        }),
      );
    }
  });
});
