import type { Config } from '@gatehouse/config';
import { EnvHttpProxyAgent } from 'undici';
import { withEmulatorHostMap } from './emulator-host-map';

/**
 * The fetch for every outbound call (discovery, JWKS, token, userinfo, Graph): through PROXY when it
 * is set, as LibreChat's OpenID client does, except for hosts in NO_PROXY (undici's rules: comma or
 * space separated, `host`, `host:port`, `.suffix`, `*`). The global fetch with undici's dispatcher,
 * so requests and responses stay the global `Request`/`Response` that openid-client and jose expect,
 * and nothing process-wide changes. With the emulator, EMULATOR_HOST_MAP sends Microsoft's hosts
 * to it first (emulator-host-map.ts).
 */
export function outboundFetch(
  config: Pick<
    Config,
    | 'PROXY'
    | 'NO_PROXY'
    | 'EMULATOR_HOST_MAP'
    | 'GATEHOUSE_EMULATOR'
    | 'isProduction'
    | 'NODE_ENV'
    | 'DOMAIN_SERVER'
  >,
  base: typeof fetch = globalThis.fetch,
): typeof fetch {
  return withEmulatorHostMap(config, viaProxy(config, base));
}

function viaProxy(config: Pick<Config, 'PROXY' | 'NO_PROXY'>, base: typeof fetch): typeof fetch {
  if (!config.PROXY) return base;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: config.PROXY,
    httpsProxy: config.PROXY,
    // Never undefined: undici would then read NO_PROXY from process.env behind the config's back.
    noProxy: config.NO_PROXY ?? '',
  });
  // `dispatcher` is undici's extension of RequestInit (Node's fetch is undici). Node 20 types it
  // with its bundled undici 6; the dispatch interface is the same, only the type names differ.
  const viaProxy = dispatcher as unknown as NonNullable<RequestInit['dispatcher']>;
  return ((input: string | URL | Request, init?: RequestInit) =>
    base(input, { ...init, dispatcher: viaProxy })) as typeof fetch;
}
