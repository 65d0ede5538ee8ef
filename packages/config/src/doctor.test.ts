import { describe, expect, it, vi } from 'vitest';
import { CLIENT_SECRET, SESSION_SECRET, TENANT, validEnv } from '../test/fixtures/env';
import { expectIssues, withChanges } from '../test/fixtures/issues';
import { formatDoctorReport, runDoctor } from './doctor';

const issuer = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
const jwksUri = `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`;

const entraMetadata = () => ({
  issuer,
  authorization_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
  token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
  jwks_uri: jwksUri,
  end_session_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/logout`,
  userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
  response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
});
const keys = {
  keys: [
    { kty: 'RSA', kid: 'a', n: 'xyz', e: 'AQAB' },
    { kty: 'RSA', kid: 'b', n: 'xyz', e: 'AQAB' },
  ],
};

type Route = unknown | Response | Error;

/** A provider on the fake internet: JSON bodies by URL, a Response as is, an Error thrown; 404 otherwise. */
function provider(routes: Record<string, Route>) {
  return vi.fn(async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const route = routes[url];
    if (route instanceof Error) throw route;
    if (route instanceof Response) return route;
    if (route === undefined) return new Response('Not Found', { status: 404 });
    return Response.json(route);
  }) as unknown as typeof fetch & ReturnType<typeof vi.fn>;
}

const doctor = (env: Record<string, string>, routes: Record<string, Route>) =>
  runDoctor({ env, fetch: provider(routes), timeoutMs: 1000 });

describe('runDoctor against the provider', () => {
  it('confirms the issuer, the signing keys and the end-session endpoint', async () => {
    const report = await doctor(validEnv(), { [discoveryUrl]: entraMetadata(), [jwksUri]: keys });
    expect(report.issues).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.discovery?.passed).toEqual([
      `issuer ${issuer} matches OPENID_ISSUER`,
      `2 signing keys at ${jwksUri}`,
      `end-session endpoint https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/logout`,
    ]);
    expect(report.notes).toContain(
      'Sign-in redirect URI to register with the provider: https://chat.contoso.com/oauth/openid/callback',
    );
  });

  it('says how required group names are resolved and which Graph permission that needs', async () => {
    const env = withChanges(validEnv(), {
      OPENID_REQUIRED_ROLE: 'Marketing,Sales',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
    });
    const report = await doctor(env, { [discoveryUrl]: entraMetadata(), [jwksUri]: keys });
    expect(report.errors).toBe(0);
    const note = report.notes.find((n) => n.includes('display name'));
    expect(note).toMatch(/"Marketing", "Sales"/);
    expect(note).toMatch(/GroupMember\.Read\.All/);
    expect(note).toMatch(/unknown or shared by several groups/);
    // Object ids need no resolving, and so no note.
    const ids = await doctor(
      withChanges(env, { OPENID_REQUIRED_ROLE: '5b8f1c2d-0e3a-4f6b-9c7d-1a2b3c4d5e6f' }),
      { [discoveryUrl]: entraMetadata(), [jwksUri]: keys },
    );
    expect(ids.notes.join(' ')).not.toMatch(/display name/);
  });

  it('compares issuers without their trailing slash, as the seed writes it', async () => {
    const report = await doctor(withChanges(validEnv(), { OPENID_ISSUER: `${issuer}/` }), {
      [discoveryUrl]: entraMetadata(),
      [jwksUri]: keys,
    });
    expect(report.issues).toEqual([]);
  });

  it('reports an issuer the provider does not call itself', async () => {
    const report = await doctor(validEnv(), {
      [discoveryUrl]: {
        ...entraMetadata(),
        issuer: 'https://sts.windows.net/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/',
      },
      [jwksUri]: keys,
    });
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'error',
        problem: /names its issuer "https:\/\/sts\.windows\.net\/.*ID tokens would fail validation/,
        fix: /set OPENID_ISSUER=https:\/\/sts\.windows\.net\//,
      },
    ]);
  });

  it("accepts Entra's multi-tenant issuer template with the organisations that may sign in", async () => {
    const common = 'https://login.microsoftonline.com/common/v2.0';
    const partner = '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21';
    const routes = {
      [`${common}/.well-known/openid-configuration`]: {
        ...entraMetadata(),
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      },
      [jwksUri]: keys,
    };
    const report = await doctor(
      withChanges(validEnv(), { OPENID_ISSUER: common, OPENID_ALLOWED_TENANTS: `${TENANT},${partner}` }),
      routes,
    );
    expect(report.issues).toEqual([]);
    expect(report.discovery?.passed[0]).toMatch(/issuer template .*\{tenantid\}.*its own tenant \(tid\)/);
    expect(report.notes.join('\n')).toContain(`may sign in: ${TENANT}, ${partner}`);

    // Without the list, any organisation could sign in: an error, not a warning.
    const open = await doctor(withChanges(validEnv(), { OPENID_ISSUER: common }), routes);
    expectIssues(open.issues, [
      {
        variable: 'OPENID_ALLOWED_TENANTS',
        severity: 'error',
        problem: /any Microsoft Entra organisation in the world/,
        fix: /OPENID_ALLOWED_TENANTS=\*/,
      },
    ]);
  });

  it("refuses Entra's issuer template on a host where nothing ties it to the token's tenant", async () => {
    const usGov = 'https://login.microsoftonline.us/organizations/v2.0';
    const report = await doctor(
      withChanges(validEnv(), {
        OPENID_ISSUER: usGov,
        OPENID_ALLOWED_TENANTS: TENANT,
        // The rest of the configuration in the same cloud (GCC High), so only the template is wrong.
        GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
        SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.us',
        SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.us/AllSites.Read',
      }),
      {
        [`${usGov}/.well-known/openid-configuration`]: {
          ...entraMetadata(),
          issuer: 'https://login.microsoftonline.us/{tenantid}/v2.0',
        },
        [jwksUri]: keys,
      },
    );
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'error',
        problem: /\{tenantid\}/,
        fix: /login\.microsoftonline\.com only.*https:\/\/login\.microsoftonline\.us\/<Directory \(tenant\) ID>\/v2\.0/,
      },
    ]);
  });

  it('reports a provider without an end-session endpoint when logout should use it', async () => {
    const { end_session_endpoint: _, ...metadata } = entraMetadata();
    const report = await doctor(validEnv(), { [discoveryUrl]: metadata, [jwksUri]: keys });
    expectIssues(report.issues, [
      {
        variable: 'OPENID_USE_END_SESSION_ENDPOINT',
        severity: 'error',
        problem: /no end_session_endpoint/,
        fix: /OPENID_USE_END_SESSION_ENDPOINT=false/,
      },
    ]);
  });

  it('does not ask for an end-session endpoint when logout does not use it', async () => {
    const { end_session_endpoint: _, ...metadata } = entraMetadata();
    const report = await doctor(withChanges(validEnv(), { OPENID_USE_END_SESSION_ENDPOINT: 'false' }), {
      [discoveryUrl]: metadata,
      [jwksUri]: keys,
    });
    expect(report.issues).toEqual([]);
  });

  it('reports signing keys that cannot be fetched, or that are not there', async () => {
    const missing = await doctor(validEnv(), { [discoveryUrl]: entraMetadata() });
    expectIssues(missing.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'error',
        problem: /keys\/?, which answered HTTP 404/,
        fix: /JWKS/,
      },
    ]);
    const empty = await doctor(validEnv(), { [discoveryUrl]: entraMetadata(), [jwksUri]: { keys: [] } });
    expectIssues(empty.issues, [
      { variable: 'OPENID_ISSUER', severity: 'error', problem: /no keys/, fix: /provider/ },
    ]);
  });

  it('reports an address that is reachable but is no issuer', async () => {
    const report = await doctor(validEnv(), {});
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'error',
        problem: /not an OpenID provider's issuer: .*openid-configuration answered HTTP 404/,
        fix: /exactly as the provider publishes it/,
      },
    ]);
  });

  it('reports a provider without a userinfo endpoint when roles are read from userinfo', async () => {
    const keycloak = 'https://idp.contoso.com/realms/gatehouse';
    const { userinfo_endpoint: _, ...metadata } = { ...entraMetadata(), issuer: keycloak };
    const report = await doctor(
      withChanges(validEnv(), {
        OPENID_ISSUER: keycloak,
        OPENID_CLIENT_ID: 'gatehouse',
        OPENID_REQUIRED_ROLE_TOKEN_KIND: 'userinfo',
        OPENID_USE_END_SESSION_ENDPOINT: 'false',
        OPENID_REUSE_TOKENS: undefined,
        USE_ENTRA_ID_FOR_PEOPLE_SEARCH: undefined,
        ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: undefined,
        ENABLE_SHAREPOINT_FILEPICKER: undefined,
        OPENID_GRAPH_SCOPES: undefined,
      }),
      {
        [`${keycloak}/.well-known/openid-configuration`]: {
          ...metadata,
          code_challenge_methods_supported: ['plain'],
        },
        [jwksUri]: keys,
      },
    );
    expectIssues(report.issues, [
      {
        variable: 'OPENID_REQUIRED_ROLE_TOKEN_KIND',
        severity: 'error',
        problem: /no userinfo_endpoint/,
        fix: /=id/,
      },
      { variable: 'OPENID_ISSUER', severity: 'warning', problem: /S256/, fix: /PKCE/ },
    ]);
  });

  it('only warns when the provider cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    const report = await doctor(validEnv(), {
      [discoveryUrl]: new TypeError('fetch failed', { cause: refused }),
    });
    expect(report.errors).toBe(0);
    expect(report.discovery?.reached).toBe(false);
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'warning',
        problem: /could not be reached \(ECONNREFUSED\)/,
        fix: /pnpm emulator/,
      },
    ]);
  });

  it('gives up on a provider that does not answer in time', async () => {
    const hanging = vi.fn(
      (_input: unknown, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    ) as unknown as typeof fetch;
    const report = await runDoctor({ env: validEnv(), fetch: hanging, timeoutMs: 50 });
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'warning',
        problem: /no answer within 0\.05 s/,
        fix: /run the doctor/,
      },
    ]);
  });

  it('stays offline when asked, and when there is no usable issuer', async () => {
    const fetch = provider({});
    const offline = await runDoctor({ env: validEnv(), fetch, offline: true });
    expect(offline.notes).toContain('The provider was not contacted (--offline).');
    await runDoctor({ env: withChanges(validEnv(), { OPENID_ISSUER: 'http://idp.contoso.com' }), fetch });
    const unset = await runDoctor({ env: {}, fetch });
    expect(fetch).not.toHaveBeenCalled();
    expect(unset.notes.join(' ')).toMatch(/pnpm run doctor --dev/);
  });

  it('lists the LibreChat variables it ignores', async () => {
    const report = await runDoctor({
      env: { ...validEnv(), OPENID_USE_PKCE: 'true', JWT_SECRET: 'x' },
      offline: true,
    });
    expect(report.ignored.map((row) => row.variable)).toEqual(['OPENID_USE_PKCE', 'JWT_SECRET']);
  });
});

describe('formatDoctorReport', () => {
  it('prints every variable by group, hides secrets, and ends with the verdict', async () => {
    const env = withChanges(validEnv(), {
      DATABASE_URL: 'postgres://gatehouse:db-password-xyz@db:5432/gatehouse',
      OPENID_SESSION_SECRET: 'short',
    });
    const report = await runDoctor({ env, sources: { OPENID_ISSUER: '.env' }, offline: true });
    const text = formatDoctorReport(report, { width: 120 });
    for (const title of [
      'Where Gatehouse runs',
      'Sign-in with OpenID Connect',
      'SharePoint file picker',
      'Findings',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/OPENID_ISSUER +\.env +https:\/\/login\.microsoftonline\.com\//);
    expect(text).toMatch(/OPENID_CLIENT_SECRET +environment +hidden \(41 characters\)/);
    expect(text).toMatch(/PORT +default: 3080/);
    expect(text).toContain('postgres://gatehouse:***@db:5432/gatehouse');
    expect(text).toMatch(/✖ +OPENID_SESSION_SECRET +is 5 characters long/);
    expect(text).toContain('Fix: generate one with `openssl rand -base64 48`.');
    expect(text).toContain('1 error, 0 warnings: Gatehouse would not start.');
    for (const secret of [CLIENT_SECRET, SESSION_SECRET, 'db-password-xyz', 'short '])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('\u001b[');
    // Only a value without spaces (a URL, a comma list) may run past the width: it is never cut.
    for (const line of text.split('\n').filter((line) => line.length > 120)) {
      expect(line.trim().split(/ {2,}/).pop()).not.toContain(' ');
    }
  });

  it('colours only when asked', async () => {
    const report = await runDoctor({ env: validEnv(), offline: true });
    expect(formatDoctorReport(report, { color: true })).toContain('\u001b[32m');
    expect(formatDoctorReport(report)).toContain(
      'No errors, 0 warnings: Gatehouse would start with this configuration.',
    );
  });
});

describe('runDoctor names the Microsoft cloud', () => {
  const usIssuer = `https://login.microsoftonline.us/${TENANT}/v2.0`;
  const usRoutes = (msgraphHost: string) => ({
    [`${usIssuer}/.well-known/openid-configuration`]: {
      ...entraMetadata(),
      issuer: usIssuer,
      jwks_uri: `https://login.microsoftonline.us/${TENANT}/discovery/v2.0/keys`,
      cloud_instance_name: 'microsoftonline.us',
      msgraph_host: msgraphHost,
    },
    [`https://login.microsoftonline.us/${TENANT}/discovery/v2.0/keys`]: keys,
  });
  const usEnv = (changes: Record<string, string | undefined>) =>
    withChanges(validEnv(), {
      OPENID_ISSUER: usIssuer,
      SHAREPOINT_BASE_URL: undefined,
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: undefined,
      ENABLE_SHAREPOINT_FILEPICKER: undefined,
      ...changes,
    });

  it('from the issuer host and the metadata, with the Graph and SharePoint hosts it uses', async () => {
    const report = await doctor(validEnv(), {
      [discoveryUrl]: {
        ...entraMetadata(),
        cloud_instance_name: 'microsoftonline.com',
        msgraph_host: 'graph.microsoft.com',
      },
      [jwksUri]: keys,
    });
    expect(report.errors).toBe(0);
    expect(report.notes).toContain(
      "Microsoft cloud: Microsoft global cloud, detected from issuer host login.microsoftonline.com; metadata cloud_instance_name microsoftonline.com, msgraph_host graph.microsoft.com. Microsoft Graph: https://graph.microsoft.com/v1.0 (the cloud's default), with scopes for https://graph.microsoft.com. SharePoint: https://contoso.sharepoint.com (SHAREPOINT_BASE_URL).",
    );
    expect(formatDoctorReport(report, { width: 400 })).toMatch(/Microsoft cloud: Microsoft global cloud/);
  });

  it("tells DoD from GCC High by the metadata's msgraph_host, and refuses GCC High's Graph for a DoD tenant", async () => {
    const report = await doctor(usEnv({}), usRoutes('dod-graph.microsoft.us'));
    expectIssues(report.issues, [
      {
        variable: 'GRAPH_BASE_URL',
        severity: 'warning',
        problem: /serves both GCC High and DoD/,
        fix: /dod-graph/,
      },
      {
        variable: 'GRAPH_BASE_URL',
        severity: 'error',
        problem:
          /is not set, so Gatehouse would use https:\/\/graph\.microsoft\.us\/v1\.0: the configuration is for Microsoft Entra for US Government \(GCC High\) \(issuer host login\.microsoftonline\.us\), but the provider's metadata says Microsoft Entra for US Government \(DoD\) \(.*msgraph_host dod-graph\.microsoft\.us\); Graph tokens would go to another cloud's host/,
        fix: /set GRAPH_BASE_URL=https:\/\/dod-graph\.microsoft\.us\/v1\.0$/,
      },
    ]);
    expect(report.notes.join('\n')).toMatch(
      /Microsoft cloud: Microsoft Entra for US Government \(DoD\), detected from issuer host login\.microsoftonline\.us; metadata/,
    );

    const fixed = await doctor(
      usEnv({ GRAPH_BASE_URL: 'https://dod-graph.microsoft.us/v1.0' }),
      usRoutes('dod-graph.microsoft.us'),
    );
    expect(fixed.issues).toEqual([]);
    expect(fixed.notes.join('\n')).toMatch(
      /Microsoft Graph: https:\/\/dod-graph\.microsoft\.us\/v1\.0 \(GRAPH_BASE_URL\), with scopes for https:\/\/dod-graph\.microsoft\.us\. SharePoint: none configured; sites of this cloud are on \*\.sharepoint-mil\.us\./,
    );
  });

  it('says GCC High is assumed when the metadata was not read', async () => {
    const report = await runDoctor({ env: usEnv({}), offline: true });
    expect(report.notes.join('\n')).toMatch(
      /Microsoft cloud: Microsoft Entra for US Government \(GCC High\), from issuer host login\.microsoftonline\.us \(assumed: that login host serves GCC High and DoD/,
    );
  });

  it("reports metadata of another cloud than the issuer's host", async () => {
    const report = await doctor(validEnv(), {
      [discoveryUrl]: {
        ...entraMetadata(),
        cloud_instance_name: 'microsoftonline.us',
        msgraph_host: 'graph.microsoft.us',
      },
      [jwksUri]: keys,
    });
    expectIssues(report.issues, [
      {
        variable: 'OPENID_ISSUER',
        severity: 'error',
        problem:
          /login\.microsoftonline\.com belongs to Microsoft global cloud, but its metadata says Microsoft Entra for US Government \(GCC High\)/,
        fix: /issuer of your tenant's cloud/,
      },
    ]);
  });

  it('for another provider, says no cloud was detected', async () => {
    const report = await runDoctor({
      env: withChanges(validEnv(), { OPENID_ISSUER: 'https://keycloak.contoso.com/realms/chat' }),
      offline: true,
    });
    expect(report.notes.join('\n')).toMatch(
      /Microsoft cloud: none detected from the issuer \(not an Entra login host\) or its metadata; Gatehouse uses Microsoft global cloud's hosts/,
    );
  });
});
