/**
 * The local development setup: the emulator's demo tenant and app registration, and the `.env` that
 * `pnpm dev` uses for every variable the operator leaves unset when no real tenant is configured.
 */
import { tryParseUrl } from './urls';

function httpUrl(text: string): URL | undefined {
  const url = tryParseUrl(text);
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? url : undefined;
}

export const DEMO = {
  tenantId: '8c25abde-3c6d-4ca1-8ffc-69c01267db6e',
  clientId: '37f430eb-fc34-4aab-92b8-01a54ce1b692',
  clientSecret: 'gatehouse-dev-secret',
  requiredRole: 'Gatehouse.User',
} as const;

/** Published in this repository, so refused in production and against a real provider (rules.ts). */
export const DEV_SESSION_SECRET = 'gatehouse-local-development-only-session-secret';

export interface DevDefaultsUrls {
  /** The emulator's issuer, e.g. `http://localhost:3090/<tenant id>/v2.0`. */
  issuer: string;
  /** The emulated SharePoint site, e.g. `http://127.0.0.1:3091`. */
  sharepointBaseUrl: string;
}

/**
 * DOMAIN_SERVER, DOMAIN_CLIENT and PORT are left out: their schema defaults (http://localhost:3080)
 * apply, and `pnpm dev` derives them from PORT.
 */
export function devDefaults(urls: DevDefaultsUrls): Record<string, string> {
  const issuer = httpUrl(urls.issuer);
  const sharepoint = httpUrl(urls.sharepointBaseUrl);
  if (!issuer)
    throw new TypeError(
      `devDefaults: issuer must be an absolute http(s) URL, got ${JSON.stringify(urls.issuer)}`,
    );
  if (!sharepoint) {
    throw new TypeError(
      `devDefaults: sharepointBaseUrl must be an absolute http(s) URL, got ${JSON.stringify(urls.sharepointBaseUrl)}`,
    );
  }
  return {
    ALLOW_SOCIAL_LOGIN: 'true',
    OPENID_BUTTON_LABEL: 'Continue with Microsoft',
    OPENID_CLIENT_ID: DEMO.clientId,
    OPENID_CLIENT_SECRET: DEMO.clientSecret,
    OPENID_ISSUER: urls.issuer,
    OPENID_SESSION_SECRET: DEV_SESSION_SECRET,
    OPENID_SCOPE: 'openid profile email offline_access',
    OPENID_CALLBACK_URL: '/oauth/openid/callback',
    OPENID_REQUIRED_ROLE: DEMO.requiredRole,
    OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
    OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles',
    OPENID_USE_END_SESSION_ENDPOINT: 'true',
    OPENID_REUSE_TOKENS: 'true',
    USE_ENTRA_ID_FOR_PEOPLE_SEARCH: 'true',
    ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: 'true',
    OPENID_GRAPH_SCOPES: 'User.Read,People.Read,GroupMember.Read.All,User.ReadBasic.All',
    // The emulator serves Graph from the same origin as its identity endpoints.
    GRAPH_BASE_URL: `${issuer.origin}/v1.0`,
    ENABLE_SHAREPOINT_FILEPICKER: 'true',
    SHAREPOINT_BASE_URL: sharepoint.origin,
    SHAREPOINT_PICKER_SHAREPOINT_SCOPE: `${sharepoint.origin}/AllSites.Read`,
    SHAREPOINT_PICKER_GRAPH_SCOPE: 'Files.Read.All',
    GATEHOUSE_EMULATOR: 'true',
  };
}
