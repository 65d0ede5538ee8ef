/**
 * Which origins the picker may ask a token for. The picker's `authenticate` command names a resource
 * (an origin); only the configured SharePoint origin and its OneDrive twin (`contoso` ↔ `contoso-my`)
 * are answered, so the host is never a token minter for whatever a message asks.
 */

/** The origin of an http(s) base URL (`https://contoso.sharepoint.com/sites/x` → `https://contoso.sharepoint.com`). */
export function sharepointOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`picker-protocol: the SharePoint base URL "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`picker-protocol: the SharePoint base URL "${baseUrl}" is not http(s)`);
  }
  return url.origin;
}

function isIpOrSingleLabel(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d+(\.\d+){3}$/.test(hostname) || !hostname.includes('.');
}

/** The OneDrive (`-my`) twin of a SharePoint origin, or the site origin of a `-my` one; none for IPs and `localhost`. */
export function twinOrigin(origin: string): string | null {
  const url = new URL(origin);
  if (isIpOrSingleLabel(url.hostname)) return null;
  const [first, ...rest] = url.hostname.split('.');
  if (!first) return null;
  const twinLabel = first.endsWith('-my') ? first.slice(0, -'-my'.length) : `${first}-my`;
  if (twinLabel === '') return null;
  url.hostname = [twinLabel, ...rest].join('.');
  return url.origin;
}

/** The origins a picker token may be asked for: the SharePoint origin, then its twin when it has one. */
export function allowedResourceOrigins(baseUrl: string): string[] {
  const origin = sharepointOrigin(baseUrl);
  const twin = twinOrigin(origin);
  return twin ? [origin, twin] : [origin];
}

/**
 * The resource as an origin when it is exactly an allowed one (an origin, optionally with a trailing
 * `/`; no path, query, fragment or credentials), else null.
 */
export function allowedResource(resource: unknown, baseUrl: string): string | null {
  if (typeof resource !== 'string' || resource.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  if (resource.replace(/\/$/, '') !== url.origin) return null;
  return allowedResourceOrigins(baseUrl).includes(url.origin) ? url.origin : null;
}

/**
 * The resource (origin) that msal-style scopes name: every scope `<origin>/<permission>` of one
 * origin (`https://contoso.sharepoint.com/.default`). Anything else (Graph's `User.Read`, mixed
 * origins, no scopes) → null.
 */
export function resourceOfScopes(scopes: readonly string[]): string | null {
  let resource: string | null = null;
  for (const scope of scopes) {
    const match = /^(https?:\/\/[^/?#]+)\/[^/?#]+$/.exec(scope);
    if (!match?.[1]) return null;
    let origin: string;
    try {
      origin = new URL(match[1]).origin;
    } catch {
      return null;
    }
    if (origin !== match[1].toLowerCase()) return null;
    if (resource !== null && resource !== origin) return null;
    resource = origin;
  }
  return resource;
}
