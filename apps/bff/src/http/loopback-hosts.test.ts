import { checkConfig, DEMO, devDefaults, isLoopbackHost } from '@gatehouse/config';
import { describe, expect, it } from 'vitest';
import { withEmulatorHostMap } from './emulator-host-map';

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
  ...devDefaults({
    issuer: `https://login.microsoftonline.us/${DEMO.tenantId}/v2.0`,
    sharepointBaseUrl: 'http://127.0.0.1:3091',
  }),
  NODE_ENV: 'development',
  GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
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
    const seen: string[] = [];
    const fetchImpl = (async (input: string | URL | Request) => {
      seen.push(new Request(input).url);
      return new Response('ok');
    }) as typeof fetch;
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
    expect(seen).toEqual([loopback ? 'http://localhost:3090/v1.0/me' : 'https://graph.microsoft.us/v1.0/me']);
  });
});
