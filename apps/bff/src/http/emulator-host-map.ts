import { type Config, isLoopbackHost } from '@gatehouse/config';

/**
 * EMULATOR_HOST_MAP: requests for the mapped Microsoft hosts (`https://graph.microsoft.us/v1.0/me`)
 * go to the emulator's origin instead (`http://localhost:3090/v1.0/me`), so a national-cloud
 * configuration can be tested offline. Applied only with GATEHOUSE_EMULATOR, in development or tests,
 * for an app on localhost; the configuration already refuses the map otherwise (rules.ts), this is
 * the second lock.
 */
export function withEmulatorHostMap(
  config: Pick<
    Config,
    'EMULATOR_HOST_MAP' | 'GATEHOUSE_EMULATOR' | 'isProduction' | 'NODE_ENV' | 'DOMAIN_SERVER'
  >,
  base: typeof fetch,
): typeof fetch {
  const map = new Map(Object.entries(config.EMULATOR_HOST_MAP));
  const local =
    (config.NODE_ENV === 'development' || config.NODE_ENV === 'test') &&
    !config.isProduction &&
    URL.canParse(config.DOMAIN_SERVER) &&
    isLoopbackHost(new URL(config.DOMAIN_SERVER).hostname);
  if (map.size === 0 || !config.GATEHOUSE_EMULATOR || !local) return base;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const target = map.get(url.hostname.toLowerCase());
    if (!target) return base(request);
    const mapped = new URL(`${url.pathname}${url.search}`, target);
    const body = request.body ? { body: request.body, duplex: 'half' } : {};
    return base(
      new Request(mapped, {
        method: request.method,
        headers: request.headers,
        redirect: request.redirect,
        signal: request.signal,
        ...body,
      } as RequestInit),
    );
  }) as typeof fetch;
}
