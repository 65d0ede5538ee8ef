import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, TENANT, validEnv } from '../test/fixtures/env';
import { expectIssues, withChanges } from '../test/fixtures/issues';
import { checkConfig } from './load';
import { isClaimPath } from './schema';

const parse = (changes: Record<string, string | undefined>) => checkConfig(withChanges(validEnv(), changes));

describe('the valid fixture', () => {
  it('has nothing to report', () => {
    const { config, issues } = checkConfig(validEnv());
    expect(issues).toEqual([]);
    expect(config).toBeDefined();
  });
});

describe('values are read into their types', () => {
  const cases: { name: string; changes: Record<string, string | undefined>; key: string; value: unknown }[] =
    [
      {
        name: 'true in any case is on',
        changes: { OPENID_AUTO_REDIRECT: 'TRUE' },
        key: 'OPENID_AUTO_REDIRECT',
        value: true,
      },
      {
        name: 'spaces around true are ignored',
        changes: { OPENID_AUTO_REDIRECT: ' True ' },
        key: 'OPENID_AUTO_REDIRECT',
        value: true,
      },
      {
        name: 'yes is off, as in LibreChat',
        changes: { OPENID_AUTO_REDIRECT: 'yes' },
        key: 'OPENID_AUTO_REDIRECT',
        value: false,
      },
      {
        name: 'an unset switch is off',
        changes: { OPENID_AUTO_REDIRECT: undefined },
        key: 'OPENID_AUTO_REDIRECT',
        value: false,
      },
      { name: 'port', changes: { PORT: '8080' }, key: 'PORT', value: 8080 },
      {
        name: 'no proxy trusted by default: X-Forwarded-For is ignored',
        changes: { TRUST_PROXY: undefined },
        key: 'TRUST_PROXY',
        value: 0,
      },
      { name: 'one trusted proxy hop', changes: { TRUST_PROXY: '1' }, key: 'TRUST_PROXY', value: 1 },
      { name: 'two trusted proxy hops', changes: { TRUST_PROXY: '2' }, key: 'TRUST_PROXY', value: 2 },
      {
        name: 'origin loses its trailing slash',
        changes: { DOMAIN_SERVER: 'https://Chat.Contoso.com/' },
        key: 'DOMAIN_SERVER',
        value: 'https://chat.contoso.com',
      },
      {
        name: 'plain http on localhost',
        changes: { DOMAIN_SERVER: 'http://localhost:3080', DOMAIN_CLIENT: undefined },
        key: 'DOMAIN_SERVER',
        value: 'http://localhost:3080',
      },
      {
        name: 'DOMAIN_CLIENT defaults to DOMAIN_SERVER',
        changes: { DOMAIN_CLIENT: undefined },
        key: 'DOMAIN_CLIENT',
        value: 'https://chat.contoso.com',
      },
      {
        name: 'the issuer is kept as written',
        changes: {
          OPENID_ISSUER: 'https://login.microsoftonline.com/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/v2.0/',
        },
        key: 'OPENID_ISSUER',
        value: 'https://login.microsoftonline.com/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/v2.0/',
      },
      {
        name: 'scopes split on any whitespace',
        changes: { OPENID_SCOPE: 'openid  profile\temail offline_access' },
        key: 'OPENID_SCOPE',
        value: ['openid', 'profile', 'email', 'offline_access'],
      },
      {
        name: 'the default scope',
        changes: {
          OPENID_SCOPE: undefined,
          OPENID_REUSE_TOKENS: undefined,
          USE_ENTRA_ID_FOR_PEOPLE_SEARCH: undefined,
          ENABLE_SHAREPOINT_FILEPICKER: undefined,
          ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: undefined,
        },
        key: 'OPENID_SCOPE',
        value: ['openid', 'profile', 'email'],
      },
      {
        name: 'Graph scopes split on commas and spaces',
        changes: { OPENID_GRAPH_SCOPES: 'User.ReadBasic.All, People.Read GroupMember.Read.All' },
        key: 'OPENID_GRAPH_SCOPES',
        value: ['User.ReadBasic.All', 'People.Read', 'GroupMember.Read.All'],
      },
      {
        name: 'required roles split on commas, blanks dropped',
        changes: { OPENID_REQUIRED_ROLE: 'Gatehouse.User, Gatehouse.Admin,, ' },
        key: 'OPENID_REQUIRED_ROLE',
        value: ['Gatehouse.User', 'Gatehouse.Admin'],
      },
      {
        name: 'token kind in any case',
        changes: { OPENID_REQUIRED_ROLE_TOKEN_KIND: 'ID' },
        key: 'OPENID_REQUIRED_ROLE_TOKEN_KIND',
        value: 'id',
      },
      {
        name: 'LibreChat arithmetic in SESSION_EXPIRY',
        changes: { SESSION_EXPIRY: '1000 * 60 * 15' },
        key: 'SESSION_EXPIRY',
        value: 900_000,
      },
      {
        name: 'LibreChat arithmetic in REFRESH_TOKEN_EXPIRY',
        changes: { REFRESH_TOKEN_EXPIRY: '(1000 * 60 * 60 * 24) * 7' },
        key: 'REFRESH_TOKEN_EXPIRY',
        value: 604_800_000,
      },
      { name: 'SESSION_COOKIE_SECURE unset', changes: {}, key: 'SESSION_COOKIE_SECURE', value: undefined },
      {
        name: 'SQLite by default',
        changes: {},
        key: 'DATABASE_URL',
        value: { kind: 'sqlite', path: './data/gatehouse.db' },
      },
      {
        name: 'sqlite:<path>',
        changes: { DATABASE_URL: 'sqlite:/var/lib/gatehouse/g.db' },
        key: 'DATABASE_URL',
        value: { kind: 'sqlite', path: '/var/lib/gatehouse/g.db' },
      },
      {
        name: 'sqlite://<relative path>',
        changes: { DATABASE_URL: 'sqlite://./data/test.db' },
        key: 'DATABASE_URL',
        value: { kind: 'sqlite', path: './data/test.db' },
      },
      {
        name: 'postgres://',
        changes: { DATABASE_URL: 'postgres://gatehouse:pw@db:5432/gatehouse' },
        key: 'DATABASE_URL',
        value: { kind: 'postgres', url: 'postgres://gatehouse:pw@db:5432/gatehouse' },
      },
      {
        name: 'postgresql://',
        changes: { DATABASE_URL: 'postgresql://db/gatehouse' },
        key: 'DATABASE_URL',
        value: { kind: 'postgres', url: 'postgresql://db/gatehouse' },
      },
      {
        name: 'bytes with a binary unit',
        changes: { ATTACHMENT_MAX_BYTES: '512 MiB' },
        key: 'ATTACHMENT_MAX_BYTES',
        value: 536_870_912,
      },
      {
        name: 'bytes with a decimal unit',
        changes: { ATTACHMENT_MAX_BYTES: '1GB' },
        key: 'ATTACHMENT_MAX_BYTES',
        value: 1_000_000_000,
      },
      {
        name: 'bytes as a product',
        changes: { ATTACHMENT_MAX_BYTES: '300 * 1024 * 1024' },
        key: 'ATTACHMENT_MAX_BYTES',
        value: 314_572_800,
      },
      {
        name: 'refused types default to Windows executables',
        changes: {},
        key: 'ATTACHMENT_REFUSED_TYPES',
        value: expect.arrayContaining(['.exe', '.msi', '.ps1']),
      },
      {
        name: 'refused types: extensions and MIME types, lower-cased',
        changes: { ATTACHMENT_REFUSED_TYPES: '.ISO, application/x-msdownload' },
        key: 'ATTACHMENT_REFUSED_TYPES',
        value: ['.iso', 'application/x-msdownload'],
      },
      {
        name: 'refused types: none',
        changes: { ATTACHMENT_REFUSED_TYPES: 'none' },
        key: 'ATTACHMENT_REFUSED_TYPES',
        value: [],
      },
      {
        name: 'post-logout default',
        changes: {},
        key: 'OPENID_POST_LOGOUT_REDIRECT_URI',
        value: 'https://chat.contoso.com/login',
      },
      { name: 'callback default', changes: {}, key: 'OPENID_CALLBACK_URL', value: '/oauth/openid/callback' },
      {
        name: 'SharePoint scope host in lower case',
        changes: { SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://Contoso.SharePoint.com/AllSites.Read' },
        key: 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        value: 'https://contoso.sharepoint.com/AllSites.Read',
      },
      {
        name: 'image from a path',
        changes: { OPENID_IMAGE_URL: '/assets/entra.svg' },
        key: 'OPENID_IMAGE_URL',
        value: '/assets/entra.svg',
      },
      {
        name: 'image from a URL',
        changes: { OPENID_IMAGE_URL: 'https://cdn.contoso.com/entra.svg' },
        key: 'OPENID_IMAGE_URL',
        value: 'https://cdn.contoso.com/entra.svg',
      },
      { name: 'log level in any case', changes: { LOG_LEVEL: 'DEBUG' }, key: 'LOG_LEVEL', value: 'debug' },
      { name: 'clock tolerance default (seconds)', changes: {}, key: 'OPENID_CLOCK_TOLERANCE', value: 60 },
      {
        name: 'audiences',
        changes: { OPENID_AUDIENCE: 'api://gatehouse, https://chat.contoso.com' },
        key: 'OPENID_AUDIENCE',
        value: ['api://gatehouse', 'https://chat.contoso.com'],
      },
      {
        name: 'former session secrets',
        changes: { OPENID_SESSION_SECRET_PREVIOUS: `${'a'.repeat(32)},${'b'.repeat(40)}` },
        key: 'OPENID_SESSION_SECRET_PREVIOUS',
        value: ['a'.repeat(32), 'b'.repeat(40)],
      },
      {
        name: 'Graph base URL default',
        changes: {},
        key: 'GRAPH_BASE_URL',
        value: 'https://graph.microsoft.com/v1.0',
      },
      {
        name: "Graph base URL default in the issuer's cloud (China)",
        changes: {
          OPENID_ISSUER: `https://login.chinacloudapi.cn/${TENANT}/v2.0`,
          SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.cn',
          SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.cn/AllSites.Read',
        },
        key: 'GRAPH_BASE_URL',
        value: 'https://microsoftgraph.chinacloudapi.cn/v1.0',
      },
      {
        name: 'Graph base URL default for DoD, told by SHAREPOINT_BASE_URL',
        changes: {
          OPENID_ISSUER: `https://login.microsoftonline.us/${TENANT}/v2.0`,
          SHAREPOINT_BASE_URL: 'https://contoso.sharepoint-mil.us',
          SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint-mil.us/AllSites.Read',
        },
        key: 'GRAPH_BASE_URL',
        value: 'https://dod-graph.microsoft.us/v1.0',
      },
      {
        name: "the Graph resource of the cloud's scopes",
        changes: {
          OPENID_ISSUER: `https://login.microsoftonline.us/${TENANT}/v2.0`,
          GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
          SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.us',
          SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.us/AllSites.Read',
        },
        key: 'graphResource',
        value: 'https://graph.microsoft.us',
      },
      {
        name: 'emulator host map',
        changes: {
          NODE_ENV: 'development',
          DOMAIN_SERVER: 'http://localhost:3080',
          GATEHOUSE_EMULATOR: 'true',
          EMULATOR_HOST_MAP:
            'Login.MicrosoftOnline.us=http://localhost:3090, graph.microsoft.us=http://localhost:3090/,contoso.sharepoint.us=http://127.0.0.1:3091',
        },
        key: 'EMULATOR_HOST_MAP',
        value: {
          'login.microsoftonline.us': 'http://localhost:3090',
          'graph.microsoft.us': 'http://localhost:3090',
          'contoso.sharepoint.us': 'http://127.0.0.1:3091',
        },
      },
      {
        name: 'no emulator host map',
        changes: {},
        key: 'EMULATOR_HOST_MAP',
        value: {},
      },
    ];

  it.each(cases)('$name', ({ changes, key, value }) => {
    const { config, issues } = parse(changes);
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect((config as Record<string, unknown>)[key]).toEqual(value);
  });
});

describe('a bad value is one error that names the variable, the problem and the fix', () => {
  const cases: { name: string; variable: string; value: string | undefined; problem: RegExp; fix: RegExp }[] =
    [
      {
        name: 'origin without scheme',
        variable: 'DOMAIN_SERVER',
        value: 'chat.contoso.com',
        problem: /not an http\(s\) origin/,
        fix: /scheme, host and port/,
      },
      {
        name: 'origin with a path',
        variable: 'DOMAIN_SERVER',
        value: 'https://contoso.com/chat',
        problem: /more than an origin/,
        fix: /root of its origin/,
      },
      {
        name: 'origin over plain http',
        variable: 'DOMAIN_CLIENT',
        value: 'http://chat.contoso.com',
        problem: /plain http/,
        fix: /https/,
      },
      {
        name: "the docs' domain",
        variable: 'DOMAIN_CLIENT',
        value: 'https://your-domain.com',
        problem: /placeholder/,
        fix: /origin people open/,
      },
      {
        name: 'port out of range',
        variable: 'PORT',
        value: '70000',
        problem: /outside 1–65535/,
        fix: /whole number/,
      },
      { name: 'port not a number', variable: 'PORT', value: '30a', problem: /"30a"/, fix: /whole number/ },
      {
        name: 'trust proxy as a switch would trust any address a client writes',
        variable: 'TRUST_PROXY',
        value: 'true',
        problem: /"true", not a number of proxies/,
        fix: /1 behind one load balancer/,
      },
      {
        name: 'trust proxy negative',
        variable: 'TRUST_PROXY',
        value: '-1',
        problem: /not a whole number of proxies from 0 to 10/,
        fix: /0 when clients connect to it directly/,
      },
      {
        name: 'client id missing',
        variable: 'OPENID_CLIENT_ID',
        value: undefined,
        problem: /is not set/,
        fix: /Application \(client\) ID/,
      },
      {
        name: 'client id placeholder',
        variable: 'OPENID_CLIENT_ID',
        value: 'Your Application (client) ID',
        problem: /placeholder/,
        fix: /Overview page/,
      },
      {
        name: 'client secret missing',
        variable: 'OPENID_CLIENT_SECRET',
        value: undefined,
        problem: /is not set/,
        fix: /Certificates & secrets.*OPENID_USE_PKCE/,
      },
      {
        name: 'client secret empty',
        variable: 'OPENID_CLIENT_SECRET',
        value: '   ',
        problem: /is not set/,
        fix: /Value/,
      },
      {
        name: 'issuer missing',
        variable: 'OPENID_ISSUER',
        value: undefined,
        problem: /is not set/,
        fix: /login\.microsoftonline\.com/,
      },
      {
        name: 'issuer placeholder',
        variable: 'OPENID_ISSUER',
        value: 'https://login.microsoftonline.com/Your Directory (tenant ID)/v2.0/',
        problem: /placeholder/,
        fix: /Directory \(tenant\) ID/,
      },
      {
        name: 'issuer without scheme',
        variable: 'OPENID_ISSUER',
        value: 'login.microsoftonline.com/x/v2.0',
        problem: /not an absolute https URL/,
        fix: /issuer URL/,
      },
      {
        name: 'issuer over plain http',
        variable: 'OPENID_ISSUER',
        value: 'http://idp.contoso.com/realms/gatehouse',
        problem: /plain http is only allowed for localhost/,
        fix: /signing keys/,
      },
      {
        name: 'issuer with a query',
        variable: 'OPENID_ISSUER',
        value: 'https://idp.contoso.com/?tenant=x',
        problem: /query/,
        fix: /without \?/,
      },
      {
        name: 'session secret too short',
        variable: 'OPENID_SESSION_SECRET',
        value: 'only-twenty-chars-xx',
        problem: /20 characters long; it must be at least 32/,
        fix: /openssl rand/,
      },
      {
        name: "session secret is the docs' text",
        variable: 'OPENID_SESSION_SECRET',
        value: 'Any random string',
        problem: /placeholder/,
        fix: /openssl rand/,
      },
      {
        name: 'session secret missing',
        variable: 'OPENID_SESSION_SECRET',
        value: undefined,
        problem: /is not set/,
        fix: /encrypts the tokens/,
      },
      {
        name: 'a short former secret',
        variable: 'OPENID_SESSION_SECRET_PREVIOUS',
        value: `${'a'.repeat(40)},short`,
        problem: /number 2/,
        fix: /former values/,
      },
      {
        name: 'scopes separated by commas',
        variable: 'OPENID_SCOPE',
        value: 'openid,profile,email',
        problem: /commas/,
        fix: /spaces/,
      },
      {
        name: 'scope without openid',
        variable: 'OPENID_SCOPE',
        value: 'profile email offline_access',
        problem: /does not contain `openid`/,
        fix: /add openid/,
      },
      {
        name: 'scope with a quote',
        variable: 'OPENID_SCOPE',
        value: 'openid "profile"',
        problem: /not a valid scope/,
        fix: /quotes/,
      },
      {
        name: 'a non-Graph scope in the Graph list',
        variable: 'OPENID_GRAPH_SCOPES',
        value: 'User.Read,api://gatehouse/access_as_user',
        problem: /not a Microsoft Graph permission/,
        fix: /Graph permissions only/,
      },
      {
        name: 'callback as a full URL',
        variable: 'OPENID_CALLBACK_URL',
        value: 'https://chat.contoso.com/oauth/openid/callback',
        problem: /full URL/,
        fix: /only the path/,
      },
      {
        name: 'callback without a leading slash',
        variable: 'OPENID_CALLBACK_URL',
        value: 'oauth/openid/callback',
        problem: /not a path/,
        fix: /\/oauth\/openid\/callback/,
      },
      {
        name: 'unknown token kind',
        variable: 'OPENID_REQUIRED_ROLE_TOKEN_KIND',
        value: 'idtoken',
        problem: /not one of id, access, userinfo/,
        fix: /use id/,
      },
      {
        name: 'claim path with an empty segment',
        variable: 'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
        value: 'realm_access..roles',
        problem: /not a claim path/,
        fix: /realm_access\.roles/,
      },
      {
        name: 'negative clock tolerance',
        variable: 'OPENID_CLOCK_TOLERANCE',
        value: '-1',
        problem: /outside 0–600 seconds/,
        fix: /whole number of seconds/,
      },
      {
        name: 'clock tolerance with a unit',
        variable: 'OPENID_CLOCK_TOLERANCE',
        value: '5m',
        problem: /"5m"/,
        fix: /seconds/,
      },
      {
        name: 'logout URL length not a number',
        variable: 'OPENID_MAX_LOGOUT_URL_LENGTH',
        value: 'long',
        problem: /"long"/,
        fix: /characters/,
      },
      {
        name: 'session expiry in words',
        variable: 'SESSION_EXPIRY',
        value: 'fifteen minutes',
        problem: /not a number of milliseconds/,
        fix: /1000 \* 60 \* 15/,
      },
      {
        name: 'session expiry is code, not arithmetic',
        variable: 'SESSION_EXPIRY',
        value: 'process.exit(1)',
        problem: /not a number of milliseconds/,
        fix: /milliseconds/,
      },
      {
        name: 'session expiry under a second',
        variable: 'SESSION_EXPIRY',
        value: '900',
        problem: /less than a second/,
        fix: /milliseconds/,
      },
      {
        name: 'MongoDB URL',
        variable: 'DATABASE_URL',
        value: 'mongodb://mongodb:27017/LibreChat',
        problem: /neither sqlite:<path> nor a postgres:\/\/ URL/,
        fix: /MONGO_URI/,
      },
      {
        name: 'sqlite without a path',
        variable: 'DATABASE_URL',
        value: 'sqlite:',
        problem: /without a file path/,
        fix: /sqlite:\.\/data/,
      },
      {
        name: 'refused type without its dot',
        variable: 'ATTACHMENT_REFUSED_TYPES',
        value: 'exe,.msi',
        problem: /"exe", neither a file extension/,
        fix: /\.exe,\.msi/,
      },
      {
        name: 'attachment size in words',
        variable: 'ATTACHMENT_MAX_BYTES',
        value: 'lots',
        problem: /not a size in bytes/,
        fix: /512 MiB/,
      },
      {
        name: "SharePoint site is the docs' tenant",
        variable: 'SHAREPOINT_BASE_URL',
        value: 'https://yourtenant.sharepoint.com',
        problem: /placeholder/,
        fix: /contoso\.sharepoint\.com/,
      },
      {
        name: 'SharePoint site over http',
        variable: 'SHAREPOINT_BASE_URL',
        value: 'http://contoso.sharepoint.com',
        problem: /plain http/,
        fix: /https/,
      },
      {
        name: 'SharePoint scope without its host',
        variable: 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        value: 'AllSites.Read',
        problem: /not a SharePoint scope/,
        fix: /Microsoft Graph token/,
      },
      {
        name: 'two SharePoint scopes',
        variable: 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        value: 'https://contoso.sharepoint.com/AllSites.Read https://contoso.sharepoint.com/MyFiles.Read',
        problem: /more than one scope/,
        fix: /exactly one/,
      },
      {
        name: 'download scope for SharePoint',
        variable: 'SHAREPOINT_PICKER_GRAPH_SCOPE',
        value: 'https://contoso.sharepoint.com/AllSites.Read',
        problem: /not a Microsoft Graph permission/,
        fix: /Files\.Read\.All/,
      },
      {
        name: 'SOCKS proxy',
        variable: 'PROXY',
        value: 'socks5://proxy:1080',
        problem: /not an http\(s\) proxy URL/,
        fix: /http:\/\/host:port/,
      },
      {
        name: 'unknown log level',
        variable: 'LOG_LEVEL',
        value: 'verbose',
        problem: /not one of fatal, error/,
        fix: /use one of/,
      },
      {
        name: 'image as a script URL',
        variable: 'OPENID_IMAGE_URL',
        value: 'javascript:alert(1)',
        problem: /not an absolute http\(s\) URL/,
        fix: /logo\.svg/,
      },
      {
        name: 'post-logout URI over http',
        variable: 'OPENID_POST_LOGOUT_REDIRECT_URI',
        value: 'http://chat.contoso.com/login',
        problem: /plain http/,
        fix: /registered as a redirect URI/,
      },
      {
        name: 'Graph over http',
        variable: 'GRAPH_BASE_URL',
        value: 'http://graph.microsoft.com/v1.0',
        problem: /plain http/,
        fix: /https/,
      },
      {
        name: 'emulator host map entry without a target',
        variable: 'EMULATOR_HOST_MAP',
        value: 'graph.microsoft.us',
        problem: /entry "graph\.microsoft\.us", not host=origin/,
        fix: /login\.microsoftonline\.us=http:\/\/localhost:3090/,
      },
      {
        name: 'emulator host map of a host that is not Microsoft',
        variable: 'EMULATOR_HOST_MAP',
        value: 'example.com=http://localhost:3090',
        problem: /"example\.com", which is not a sign-in, Microsoft Graph or SharePoint Online host/,
        fix: /map only Microsoft's hosts/,
      },
      {
        name: 'emulator host map to another machine',
        variable: 'EMULATOR_HOST_MAP',
        value: 'graph.microsoft.us=https://graph.evil.test',
        problem:
          /maps graph\.microsoft\.us to "https:\/\/graph\.evil\.test", which is not an origin on this machine/,
        fix: /emulator's origin/,
      },
    ];

  it.each(cases)('$name', ({ variable, value, problem, fix }) => {
    const { config, issues } = parse({ [variable]: value });
    expect(config).toBeUndefined();
    expectIssues(
      issues.filter((issue) => issue.severity === 'error'),
      [{ variable, severity: 'error', problem, fix }],
    );
  });

  it('never quotes a secret', () => {
    const { issues } = parse({ OPENID_CLIENT_SECRET: undefined, OPENID_SESSION_SECRET: 'tiny-secret-value' });
    expect(JSON.stringify(issues)).not.toContain('tiny-secret-value');
    expect(JSON.stringify(issues)).not.toContain(CLIENT_SECRET);
  });

  it('masks a database password when quoting the URL', () => {
    const { issues } = parse({ DATABASE_URL: 'mongodb://librechat:hunter2-db@mongodb:27017/LibreChat' });
    expect(JSON.stringify(issues)).not.toContain('hunter2');
    expect(issues[0]?.problem).toContain('mongodb://librechat:***@mongodb:27017/LibreChat');
  });
});

describe('isClaimPath', () => {
  it.each([
    'roles',
    'groups',
    'realm_access.roles',
    "resource_access['my-app'].roles",
    'resource_access["my-app"].roles',
    'wids[0]',
    'a[b].c',
    'https://contoso.com/claims/roles',
  ])('accepts %s', (path) => {
    expect(isClaimPath(path)).toBe(true);
  });

  it.each(['', '.roles', 'roles.', 'a..b', 'a.[0]', '[unclosed', 'a b', "a['b"])('refuses %j', (path) => {
    expect(isClaimPath(path)).toBe(false);
  });
});
