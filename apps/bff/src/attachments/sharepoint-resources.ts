import type { Config } from '@gatehouse/config';
import type { ResourceSpec } from '../session/token-manager';

type PickerConfig = Pick<Config, 'SHAREPOINT_BASE_URL' | 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE'>;

/**
 * A tenant's SharePoint host and its OneDrive twin: `contoso.sharepoint.com` ↔
 * `contoso-my.sharepoint.com` (also in the national clouds' `sharepoint.us`, `sharepoint-mil.us` (DoD),
 * `sharepoint.cn`).
 * Any other host (the emulator's `127.0.0.1:3091`, an on-premises farm) has no twin.
 */
export function oneDriveTwinOf(origin: string): string | undefined {
  const url = new URL(origin);
  const match = /^([a-z0-9][a-z0-9-]*?)(-my)?\.(sharepoint\.(?:com|us|de|cn)|sharepoint-mil\.us)$/i.exec(
    url.hostname,
  );
  if (!match || url.port !== '') return undefined;
  const [, tenant, my, domain] = match;
  return `${url.protocol}//${tenant}${my ? '' : '-my'}.${domain}`.toLowerCase();
}

/** The origins the picker may get a token for: the configured SharePoint origin and its `-my` twin. */
export function pickerResources(config: Pick<Config, 'SHAREPOINT_BASE_URL'>): string[] {
  if (!config.SHAREPOINT_BASE_URL) return [];
  const origin = new URL(config.SHAREPOINT_BASE_URL).origin.toLowerCase();
  const twin = oneDriveTwinOf(origin);
  return twin ? [origin, twin] : [origin];
}

/**
 * The origin `resource` names when it is one of `pickerResources`, else undefined. The picker's
 * `authenticate` command names a resource as an origin, sometimes with a trailing slash; a path,
 * query, credentials or another scheme or port is refused rather than trimmed.
 */
export function allowedPickerResource(config: PickerConfig, resource: string): string | undefined {
  if (!URL.canParse(resource)) return undefined;
  const url = new URL(resource);
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    return undefined;
  }
  if (/\/\/[^/]*\/./.test(resource)) return undefined; // `https://host/.` normalises to `/`
  const origin = url.origin.toLowerCase();
  return pickerResources(config).includes(origin) ? origin : undefined;
}

/**
 * The token-manager resource for a picker token on `origin`: the permission of
 * SHAREPOINT_PICKER_SHAREPOINT_SCOPE (`AllSites.Read`) on that origin, so the token's audience is
 * the host the picker asked for. Nothing else is ever requested.
 */
export function pickerResourceSpec(config: PickerConfig, origin: string): ResourceSpec {
  const scope = config.SHAREPOINT_PICKER_SHAREPOINT_SCOPE;
  if (!scope) throw new TypeError('pickerResourceSpec: SHAREPOINT_PICKER_SHAREPOINT_SCOPE is not set.');
  const permission = scope.slice(scope.lastIndexOf('/') + 1);
  return { resource: origin, scope: [`${origin}/${permission}`] };
}
