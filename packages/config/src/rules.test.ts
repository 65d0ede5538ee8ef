import { describe, expect, it } from 'vitest';
import { TENANT, validEnv } from '../test/fixtures/env';
import { type ExpectedIssue, expectIssues, withChanges } from '../test/fixtures/issues';
import { DEV_SESSION_SECRET } from './dev-defaults';
import { checkConfig } from './load';

interface RuleCase {
  name: string;
  changes: Record<string, string | undefined>;
  expected: ExpectedIssue[];
}

const error = (variable: string, problem: RegExp, fix: RegExp): ExpectedIssue => ({
  variable,
  severity: 'error',
  problem,
  fix,
});
const warning = (variable: string, problem: RegExp, fix: RegExp): ExpectedIssue => ({
  variable,
  severity: 'warning',
  problem,
  fix,
});

const noFeatures = {
  OPENID_REUSE_TOKENS: undefined,
  USE_ENTRA_ID_FOR_PEOPLE_SEARCH: undefined,
  ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: undefined,
  ENABLE_SHAREPOINT_FILEPICKER: undefined,
};

/** A consistent GCC High configuration. */
const usHigh = {
  OPENID_ISSUER: `https://login.microsoftonline.us/${TENANT}/v2.0`,
  GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
  SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.us',
  SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.us/AllSites.Read',
};

const cases: RuleCase[] = [
  {
    name: 'people search needs token reuse',
    changes: { OPENID_REUSE_TOKENS: 'false', ENABLE_SHAREPOINT_FILEPICKER: 'false' },
    expected: [
      error('USE_ENTRA_ID_FOR_PEOPLE_SEARCH', /OPENID_REUSE_TOKENS is not/, /OPENID_REUSE_TOKENS=true/),
    ],
  },
  {
    name: 'the SharePoint picker needs token reuse',
    changes: { ...noFeatures, ENABLE_SHAREPOINT_FILEPICKER: 'true' },
    expected: [
      error('ENABLE_SHAREPOINT_FILEPICKER', /OPENID_REUSE_TOKENS is not/, /OPENID_REUSE_TOKENS=true/),
    ],
  },
  {
    name: 'the SharePoint picker needs its URL and both scopes',
    changes: {
      SHAREPOINT_BASE_URL: undefined,
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: undefined,
      SHAREPOINT_PICKER_GRAPH_SCOPE: undefined,
    },
    expected: [
      error(
        'SHAREPOINT_BASE_URL',
        /ENABLE_SHAREPOINT_FILEPICKER=true needs it/,
        /https:\/\/contoso\.sharepoint\.com/,
      ),
      error('SHAREPOINT_PICKER_SHAREPOINT_SCOPE', /needs it/, /\/AllSites\.Read/),
      error('SHAREPOINT_PICKER_GRAPH_SCOPE', /needs it/, /Files\.Read\.All/),
    ],
  },
  {
    name: "the SharePoint scope's host must be the site's host",
    changes: { SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://fabrikam.sharepoint.com/AllSites.Read' },
    expected: [
      error(
        'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        /is for fabrikam\.sharepoint\.com, but SHAREPOINT_BASE_URL is on contoso\.sharepoint\.com/,
        /SHAREPOINT_PICKER_SHAREPOINT_SCOPE=https:\/\/contoso\.sharepoint\.com\/AllSites\.Read/,
      ),
    ],
  },
  {
    name: 'a required role needs a token kind and a claim path',
    changes: { OPENID_REQUIRED_ROLE_TOKEN_KIND: undefined, OPENID_REQUIRED_ROLE_PARAMETER_PATH: undefined },
    expected: [
      error(
        'OPENID_REQUIRED_ROLE_TOKEN_KIND',
        /OPENID_REQUIRED_ROLE is/,
        /OPENID_REQUIRED_ROLE_TOKEN_KIND=id/,
      ),
      error('OPENID_REQUIRED_ROLE_PARAMETER_PATH', /OPENID_REQUIRED_ROLE is/, /PARAMETER_PATH=roles/),
    ],
  },
  {
    name: 'no role, no token kind needed',
    changes: {
      OPENID_REQUIRED_ROLE: undefined,
      OPENID_REQUIRED_ROLE_TOKEN_KIND: undefined,
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: undefined,
    },
    expected: [],
  },
  {
    name: "the docs' group name is a placeholder",
    changes: { OPENID_REQUIRED_ROLE: 'Your Group Name' },
    expected: [error('OPENID_REQUIRED_ROLE', /placeholder/, /Gatehouse\.User/)],
  },
  {
    name: "group names are resolved in the tenant's directory (no issue)",
    changes: { OPENID_REQUIRED_ROLE: 'Marketing', OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups' },
    expected: [],
  },
  {
    name: 'group names need a single tenant to be resolved in',
    changes: {
      OPENID_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      OPENID_REQUIRED_ROLE: 'Marketing,5b8f1c2d-0e3a-4f6b-9c7d-1a2b3c4d5e6f',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
    },
    expected: [
      error('OPENID_REQUIRED_ROLE', /"Marketing".*multi-tenant \/organizations\//, /Object ID/),
      error('OPENID_ALLOWED_TENANTS', /is not set.*\/organizations\//, /OPENID_ALLOWED_TENANTS=/),
    ],
  },
  {
    name: 'group object ids are what the groups claim holds',
    changes: {
      OPENID_REQUIRED_ROLE: '5b8f1c2d-0e3a-4f6b-9c7d-1a2b3c4d5e6f',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
    },
    expected: [],
  },
  {
    name: "Entra's access token is for Graph",
    changes: { OPENID_REQUIRED_ROLE_TOKEN_KIND: 'access' },
    expected: [warning('OPENID_REQUIRED_ROLE_TOKEN_KIND', /Microsoft Graph/, /=id/)],
  },
  {
    name: "Entra's userinfo has no roles",
    changes: { OPENID_REQUIRED_ROLE_TOKEN_KIND: 'userinfo' },
    expected: [warning('OPENID_REQUIRED_ROLE_TOKEN_KIND', /never roles or groups/, /=id/)],
  },
  {
    name: 'other providers may put roles anywhere',
    changes: {
      OPENID_ISSUER: 'https://idp.contoso.com/realms/gatehouse',
      OPENID_CLIENT_ID: 'gatehouse',
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'userinfo',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      OPENID_REQUIRED_ROLE: 'marketing',
      ...noFeatures,
      OPENID_GRAPH_SCOPES: undefined,
    },
    expected: [],
  },
  {
    name: 'token reuse without offline_access',
    changes: { OPENID_SCOPE: 'openid profile email' },
    expected: [
      warning(
        'OPENID_SCOPE',
        /offline_access.*Gatehouse adds it/,
        /OPENID_SCOPE=openid profile email offline_access/,
      ),
    ],
  },
  {
    name: 'one sign-in cannot ask for two resources',
    changes: {
      OPENID_SCOPE:
        'openid profile email offline_access api://4a1c9f0e-2b7d-4e55-9c3a-7f1e8d2b6a90/access_as_user',
    },
    expected: [
      error(
        'OPENID_SCOPE',
        /AADSTS28000/,
        /remove api:\/\/4a1c9f0e-2b7d-4e55-9c3a-7f1e8d2b6a90\/access_as_user/,
      ),
    ],
  },
  {
    name: 'an API scope alone is fine',
    changes: {
      ...noFeatures,
      OPENID_GRAPH_SCOPES: undefined,
      OPENID_SCOPE: 'openid profile email api://4a1c9f0e-2b7d-4e55-9c3a-7f1e8d2b6a90/access_as_user',
    },
    expected: [],
  },
  {
    name: 'people search needs permission to list users and groups',
    changes: { OPENID_GRAPH_SCOPES: 'User.Read,People.Read' },
    expected: [
      warning('OPENID_GRAPH_SCOPES', /no permission to list users/, /User\.ReadBasic\.All/),
      warning('OPENID_GRAPH_SCOPES', /no permission to read groups/, /GroupMember\.Read\.All/),
    ],
  },
  {
    name: 'Graph permissions are compared without their resource and case',
    changes: {
      OPENID_GRAPH_SCOPES:
        'https://graph.microsoft.com/user.readbasic.all https://graph.microsoft.com/Group.Read.All',
    },
    expected: [],
  },
  {
    name: 'owners as members without people search',
    changes: { USE_ENTRA_ID_FOR_PEOPLE_SEARCH: 'false' },
    expected: [
      warning('ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS', /no effect/, /USE_ENTRA_ID_FOR_PEOPLE_SEARCH=true/),
    ],
  },
  {
    name: "Entra's v1.0 issuer",
    changes: { OPENID_ISSUER: `https://login.microsoftonline.com/${TENANT}/` },
    expected: [error('OPENID_ISSUER', /v2\.0 issuer.*sts\.windows\.net/, new RegExp(`${TENANT}/v2\\.0`))],
  },
  {
    name: "Entra's multi-tenant endpoint without an allow-list",
    changes: { OPENID_ISSUER: 'https://login.microsoftonline.com/common/v2.0' },
    expected: [
      error(
        'OPENID_ALLOWED_TENANTS',
        /is not set, but OPENID_ISSUER is the multi-tenant \/common\/ endpoint: people from any Microsoft Entra organisation in the world/,
        /OPENID_ALLOWED_TENANTS=<your tenant id>,<partner tenant id>.*OPENID_ALLOWED_TENANTS=\*/,
      ),
    ],
  },
  {
    name: "Entra's multi-tenant endpoint with the organisations that may sign in (no issue)",
    changes: {
      OPENID_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      OPENID_ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} , 2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21`,
    },
    expected: [],
  },
  {
    name: "Entra's multi-tenant endpoint open to everyone on purpose",
    changes: {
      OPENID_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      OPENID_ALLOWED_TENANTS: '*',
    },
    expected: [
      warning(
        'OPENID_ALLOWED_TENANTS',
        /is \*.*any Microsoft Entra organisation can sign in.*required role does not stop them/,
        /list the Directory \(tenant\) IDs/,
      ),
    ],
  },
  {
    name: 'allowed tenants that are not tenant ids',
    changes: {
      OPENID_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      OPENID_ALLOWED_TENANTS: `${TENANT},contoso.onmicrosoft.com,fabrikam`,
    },
    expected: [
      error(
        'OPENID_ALLOWED_TENANTS',
        /contains "contoso\.onmicrosoft\.com", "fabrikam", which are not tenant ids \(a GUID/,
        /Overview page of Microsoft Entra ID.*\.well-known\/openid-configuration/,
      ),
    ],
  },
  {
    name: '* mixed with tenant ids',
    changes: {
      OPENID_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      OPENID_ALLOWED_TENANTS: `${TENANT},*`,
    },
    expected: [error('OPENID_ALLOWED_TENANTS', /mixes \* with tenant ids/, /=\* alone/)],
  },
  {
    name: 'allowed tenants with a single-tenant issuer change nothing',
    changes: { OPENID_ALLOWED_TENANTS: TENANT },
    expected: [warning('OPENID_ALLOWED_TENANTS', /has no effect: OPENID_ISSUER names one tenant/, /remove/)],
  },
  {
    name: "allowed tenants without the single-tenant issuer's own tenant",
    changes: { OPENID_ALLOWED_TENANTS: '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21' },
    expected: [
      error(
        'OPENID_ALLOWED_TENANTS',
        new RegExp(`does not contain ${TENANT}, the tenant of OPENID_ISSUER.*nobody could sign in`),
        /remove OPENID_ALLOWED_TENANTS.*\/organizations\/v2\.0/,
      ),
    ],
  },
  {
    name: 'allowed tenants with a provider other than Entra',
    changes: { OPENID_ISSUER: 'https://auth.example.com/realms/staff', OPENID_ALLOWED_TENANTS: TENANT },
    expected: [error('OPENID_ALLOWED_TENANTS', /not Microsoft Entra's.*refuses every sign-in/, /remove/)],
  },
  {
    name: 'an Entra tenant named by domain',
    changes: { OPENID_ISSUER: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0' },
    expected: [
      warning('OPENID_ISSUER', /by domain \(contoso\.onmicrosoft\.com\)/, /Directory \(tenant\) ID/),
    ],
  },
  {
    name: "an Entra client id that isn't a GUID",
    changes: { OPENID_CLIENT_ID: 'gatehouse' },
    expected: [error('OPENID_CLIENT_ID', /"gatehouse".*GUID/, /Overview page/)],
  },
  {
    name: "the secret's id instead of its value",
    changes: { OPENID_CLIENT_SECRET: 'b0d1f3a5-7c9e-4b2d-8f6a-1e3c5a7b9d0f' },
    expected: [warning('OPENID_CLIENT_SECRET', /Secret ID/, /Value column/)],
  },
  {
    name: 'the published development secret in production',
    changes: { OPENID_SESSION_SECRET: DEV_SESSION_SECRET },
    expected: [error('OPENID_SESSION_SECRET', /development secret/, /openssl rand/)],
  },
  {
    name: 'no sign-in button',
    changes: { ALLOW_SOCIAL_LOGIN: undefined, OPENID_AUTO_REDIRECT: 'true' },
    expected: [
      warning('ALLOW_SOCIAL_LOGIN', /no sign-in button/, /ALLOW_SOCIAL_LOGIN=true/),
      warning('OPENID_AUTO_REDIRECT', /no effect/, /ALLOW_SOCIAL_LOGIN=true/),
    ],
  },
  {
    name: 'SPA and BFF on two origins',
    changes: { DOMAIN_CLIENT: 'https://app.contoso.com' },
    expected: [warning('DOMAIN_CLIENT', /not sent across origins/, /one origin/)],
  },
  {
    name: 'production on localhost',
    changes: { DOMAIN_SERVER: undefined, DOMAIN_CLIENT: undefined },
    expected: [
      warning('DOMAIN_SERVER', /http:\/\/localhost:3080 while NODE_ENV=production/, /public https origin/),
    ],
  },
  {
    name: 'the emulator in production',
    changes: { GATEHOUSE_EMULATOR: 'true' },
    expected: [warning('GATEHOUSE_EMULATOR', /demo password/, /remove GATEHOUSE_EMULATOR/)],
  },
  {
    name: 'a session expiry written in seconds',
    changes: { SESSION_EXPIRY: '3600' },
    expected: [warning('SESSION_EXPIRY', /3600 ms, under a minute/, /SESSION_EXPIRY=3600 \* 1000/)],
  },
  {
    name: 'an absolute lifetime shorter than the idle timeout',
    changes: { SESSION_EXPIRY: '1000 * 60 * 60', REFRESH_TOKEN_EXPIRY: '1000 * 60 * 30' },
    expected: [warning('REFRESH_TOKEN_EXPIRY', /shorter than SESSION_EXPIRY/, /at least SESSION_EXPIRY/)],
  },
  {
    name: 'an insecure cookie cannot be asked for',
    changes: { SESSION_COOKIE_SECURE: 'false' },
    expected: [warning('SESSION_COOKIE_SECURE', /always marks/, /remove SESSION_COOKIE_SECURE/)],
  },
  {
    name: 'a switch that is neither true nor false',
    changes: { ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: 'yes' },
    expected: [warning('ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS', /"yes", which is read as false/, /=true or/)],
  },
  {
    name: 'a misspelt variable',
    changes: { OPENID_REQUIRED_ROLES: 'Gatehouse.User' },
    expected: [warning('OPENID_REQUIRED_ROLES', /no effect/, /did you mean OPENID_REQUIRED_ROLE\?/)],
  },
  {
    name: "LibreChat's own variables and unrelated ones are ignored",
    changes: {
      OPENID_USE_PKCE: 'true',
      OPENID_JWKS_URL_CACHE_TIME: '600000',
      MONGO_URI: 'mongodb://mongodb:27017/LibreChat',
      PATH: '/usr/bin',
      SESSION_MANAGER: 'local/host',
    },
    expected: [],
  },
  {
    name: 'a wrong variable is reported once, not again by the rules that read it',
    changes: { OPENID_ISSUER: 'http://login.microsoftonline.com/common', OPENID_CLIENT_ID: 'not-a-guid' },
    expected: [error('OPENID_ISSUER', /plain http/, /https/)],
  },
  {
    name: 'a US Government issuer with GCC High hosts is one cloud',
    changes: usHigh,
    expected: [],
  },
  {
    name: "Graph in another cloud than the issuer's: tokens would leave their cloud",
    changes: { GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' },
    expected: [
      error(
        'GRAPH_BASE_URL',
        /names graph\.microsoft\.us, a host of Microsoft Entra for US Government \(GCC High\), but the configuration is for Microsoft global cloud \(issuer host login\.microsoftonline\.com\): Gatehouse would send that cloud's access tokens to another cloud/,
        /GRAPH_BASE_URL=https:\/\/graph\.microsoft\.com\/v1\.0 \(or remove it/,
      ),
    ],
  },
  {
    name: 'a US Government issuer with the global Graph',
    changes: { ...usHigh, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' },
    expected: [
      error(
        'GRAPH_BASE_URL',
        /names graph\.microsoft\.com, a host of Microsoft global cloud, but the configuration is for Microsoft Entra for US Government \(GCC High\)/,
        /GRAPH_BASE_URL=https:\/\/graph\.microsoft\.us\/v1\.0/,
      ),
    ],
  },
  {
    name: 'DoD Graph with a GCC High SharePoint site',
    changes: { ...usHigh, GRAPH_BASE_URL: 'https://dod-graph.microsoft.us/v1.0' },
    expected: [
      error(
        'SHAREPOINT_BASE_URL',
        /names contoso\.sharepoint\.us, a host of Microsoft Entra for US Government \(GCC High\), but the configuration is for Microsoft Entra for US Government \(DoD\) \(issuer host login\.microsoftonline\.us, GRAPH_BASE_URL host dod-graph\.microsoft\.us\)/,
        /SHAREPOINT_BASE_URL=https:\/\/contoso\.sharepoint-mil\.us/,
      ),
    ],
  },
  {
    name: 'Graph scopes written with the global host in the US Government cloud',
    changes: {
      ...usHigh,
      OPENID_GRAPH_SCOPES: 'https://graph.microsoft.com/User.Read,User.ReadBasic.All,GroupMember.Read.All',
      SHAREPOINT_PICKER_GRAPH_SCOPE: 'https://graph.microsoft.com/Files.Read.All',
    },
    expected: [
      error('OPENID_GRAPH_SCOPES', /names graph\.microsoft\.com/, /https:\/\/graph\.microsoft\.us\//),
      error('SHAREPOINT_PICKER_GRAPH_SCOPE', /names graph\.microsoft\.com/, /Files\.Read\.All/),
    ],
  },
  {
    name: 'a US Government issuer that does not say GCC High or DoD',
    changes: { ...usHigh, GRAPH_BASE_URL: undefined, SHAREPOINT_BASE_URL: undefined, ...noFeatures },
    expected: [
      warning(
        'GRAPH_BASE_URL',
        /is not set, and OPENID_ISSUER's host \(login\.microsoftonline\.us\) serves both GCC High and DoD: Gatehouse uses GCC High's https:\/\/graph\.microsoft\.us\/v1\.0/,
        /GRAPH_BASE_URL=https:\/\/dod-graph\.microsoft\.us\/v1\.0 for DoD \(behind a Graph proxy, write OPENID_GRAPH_SCOPES with the host instead.*`pnpm run doctor` reads which cloud/,
      ),
    ],
  },
  {
    name: 'a DoD tenant behind a Graph proxy, named by the host of its Graph scopes (no cloud variable needed)',
    changes: {
      ...usHigh,
      GRAPH_BASE_URL: 'https://graph-proxy.contoso.us/v1.0',
      SHAREPOINT_BASE_URL: undefined,
      ...noFeatures,
      OPENID_GRAPH_SCOPES: 'https://dod-graph.microsoft.us/User.Read,People.Read',
    },
    expected: [],
  },
  {
    name: "the picker's missing site, with an example in the issuer's cloud (China)",
    changes: {
      OPENID_ISSUER: `https://login.chinacloudapi.cn/${TENANT}/v2.0`,
      SHAREPOINT_BASE_URL: undefined,
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: undefined,
    },
    expected: [
      error(
        'SHAREPOINT_BASE_URL',
        /ENABLE_SHAREPOINT_FILEPICKER=true needs it/,
        /=https:\/\/contoso\.sharepoint\.cn$/,
      ),
      error(
        'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        /ENABLE_SHAREPOINT_FILEPICKER=true needs it/,
        /=https:\/\/contoso\.sharepoint\.cn\/AllSites\.Read$/,
      ),
    ],
  },
  {
    name: 'a US Government issuer with a Graph proxy that does not say GCC High or DoD',
    changes: {
      ...usHigh,
      GRAPH_BASE_URL: 'https://graph-proxy.contoso.us/v1.0',
      SHAREPOINT_BASE_URL: undefined,
      ...noFeatures,
    },
    expected: [
      warning(
        'GRAPH_BASE_URL',
        /is "https:\/\/graph-proxy\.contoso\.us\/v1\.0", which does not say GCC High or DoD either, .*names GCC High's Graph in its scopes/,
        /dod-graph/,
      ),
    ],
  },
  {
    name: 'the emulator host map in production',
    changes: {
      GATEHOUSE_EMULATOR: 'true',
      EMULATOR_HOST_MAP: 'login.microsoftonline.com=http://localhost:3090',
    },
    expected: [
      error('EMULATOR_HOST_MAP', /while NODE_ENV=production/, /remove EMULATOR_HOST_MAP/),
      warning('GATEHOUSE_EMULATOR', /NODE_ENV=production/, /remove GATEHOUSE_EMULATOR/),
    ],
  },
  {
    name: 'the emulator host map without the emulator',
    changes: {
      NODE_ENV: 'development',
      DOMAIN_SERVER: 'http://localhost:3080',
      DOMAIN_CLIENT: 'http://localhost:3080',
      EMULATOR_HOST_MAP: 'graph.microsoft.com=http://localhost:3090',
    },
    expected: [error('EMULATOR_HOST_MAP', /GATEHOUSE_EMULATOR is not true/, /set GATEHOUSE_EMULATOR=true/)],
  },
  {
    name: 'the emulator host map where NODE_ENV is neither development nor test',
    changes: {
      NODE_ENV: 'staging',
      DOMAIN_SERVER: 'http://localhost:3080',
      DOMAIN_CLIENT: 'http://localhost:3080',
      GATEHOUSE_EMULATOR: 'true',
      EMULATOR_HOST_MAP: 'graph.microsoft.com=http://localhost:3090',
    },
    expected: [error('EMULATOR_HOST_MAP', /while NODE_ENV=staging/, /development and tests/)],
  },
  {
    name: 'the emulator host map for an app on another machine',
    changes: {
      NODE_ENV: 'development',
      GATEHOUSE_EMULATOR: 'true',
      EMULATOR_HOST_MAP: 'graph.microsoft.com=http://localhost:3090',
    },
    expected: [error('EMULATOR_HOST_MAP', /chat\.contoso\.com.*not this machine/, /app on localhost/)],
  },
  {
    name: 'the emulator host map with the emulator in development',
    changes: {
      NODE_ENV: 'development',
      DOMAIN_SERVER: 'http://localhost:3080',
      DOMAIN_CLIENT: 'http://localhost:3080',
      GATEHOUSE_EMULATOR: 'true',
      EMULATOR_HOST_MAP: 'graph.microsoft.com=http://localhost:3090',
    },
    expected: [],
  },
];

describe('cross-field rules', () => {
  it.each(cases)('$name', ({ changes, expected }) => {
    expectIssues(checkConfig(withChanges(validEnv(), changes)).issues, expected);
  });

  it('warnings alone do not stop start-up; errors do', () => {
    expect(checkConfig(withChanges(validEnv(), { SESSION_COOKIE_SECURE: 'false' })).config).toBeDefined();
    expect(checkConfig(withChanges(validEnv(), { OPENID_CLIENT_ID: 'gatehouse' })).config).toBeUndefined();
  });
});
