import { ConfigError, checkConfig, DEMO, devDefaults, isLoopbackHost, loadConfig } from '@gatehouse/config';
import { describe, expect, it } from 'vitest';
import { withEmulatorHostMap } from './emulator-host-map';
import { outboundFetch } from './outbound-fetch';

const map = {
  'login.microsoftonline.us': 'http://localhost:3090',
  'graph.microsoft.us': 'http://localhost:3090',
};

/** An app on this machine, in development: where the map may apply. */
const local = { NODE_ENV: 'development', DOMAIN_SERVER: 'http://localhost:3080' };

/** A development environment for the US Government cloud, with the emulator standing in for it. */
const usGovDevelopment = {
  ...devDefaults({
    issuer: `https://login.microsoftonline.us/${DEMO.tenantId}/v2.0`,
    sharepointBaseUrl: 'http://127.0.0.1:3091',
  }),
  GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
};

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
      ...usGovDevelopment,
      OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
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

/**
 * One answer to "is this host this machine?" on both sides of EMULATOR_HOST_MAP: the configuration
 * (its rule on DOMAIN_SERVER, its check of the map's origins, plain http) and the BFF's outbound fetch,
 * which checks DOMAIN_SERVER again before it redirects any request. Hosts as a URL's `hostname` gives them.
 */
const hosts: Array<[host: string, loopback: boolean]> = [
  ['localhost', true],
  ['LOCALHOST', true], // URLs lower-case host names
  ['127.0.0.1', true],
  ['127.1', true], // the URL parser reads it as 127.0.0.1
  ['[::1]', true],
  ['app.localhost', false],
  ['localhost.', false],
  ['127.0.0.2', false],
  ['0.0.0.0', false],
  ['[::ffff:127.0.0.1]', false],
  ['192.168.1.10', false],
  ['gatehouse.contoso.com', false],
];

const base = {
  ...usGovDevelopment,
  NODE_ENV: 'development',
  EMULATOR_HOST_MAP: 'graph.microsoft.us=http://localhost:3090',
};

const errorsOf = (env: Record<string, string>, variable: string) =>
  checkConfig(env).issues.filter((issue) => issue.variable === variable && issue.severity === 'error');

describe('loopback hosts, as the configuration and the BFF see them', () => {
  it.each(hosts)('%s is loopback: %s', async (host, loopback) => {
    expect(isLoopbackHost(new URL(`http://${host}:3080`).hostname)).toBe(loopback);

    // The rule: the map only for an app served on this machine (https, so only the rule speaks).
    expect(errorsOf({ ...base, DOMAIN_SERVER: `https://${host}:3080` }, 'EMULATOR_HOST_MAP')).toHaveLength(
      loopback ? 0 : 1,
    );
    // Plain http only on this machine.
    expect(errorsOf({ ...base, DOMAIN_SERVER: `http://${host}:3080` }, 'DOMAIN_SERVER')).toHaveLength(
      loopback ? 0 : 1,
    );
    // The map's targets: origins on this machine only.
    const target = { ...base, EMULATOR_HOST_MAP: `graph.microsoft.us=http://${host}:3090` };
    expect(errorsOf(target, 'EMULATOR_HOST_MAP')).toHaveLength(loopback ? 0 : 1);

    // The BFF's second lock, given flags that got past the configuration.
    const { seen, fetchImpl } = recorder();
    const mapped = withEmulatorHostMap(
      {
        EMULATOR_HOST_MAP: { 'graph.microsoft.us': 'http://localhost:3090' },
        GATEHOUSE_EMULATOR: true,
        isProduction: false,
        NODE_ENV: 'development',
        DOMAIN_SERVER: `https://${host}:3080`,
      },
      fetchImpl,
    );
    await mapped('https://graph.microsoft.us/v1.0/me');
    expect(seen.map((request) => request.url)).toEqual([
      loopback ? 'http://localhost:3090/v1.0/me' : 'https://graph.microsoft.us/v1.0/me',
    ]);
  });
});
