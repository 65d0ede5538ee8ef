import { describe, expect, it, vi } from 'vitest';
import { CLIENT_SECRET, fixture, SESSION_SECRET, seedEnv, validEnv } from '../test/fixtures/env';
import { expectIssues, withChanges } from '../test/fixtures/issues';
import { devDefaults } from './dev-defaults';
import { parseEnvText } from './env-file';
import { ConfigError } from './issues';
import { checkConfig, loadConfig } from './load';

describe("the seed page's example .env", () => {
  it('parses, with only the offline_access warning its scope earns', () => {
    const { config, issues } = checkConfig(seedEnv());
    expectIssues(issues, [
      { variable: 'OPENID_SCOPE', severity: 'warning', problem: /offline_access/, fix: /offline_access/ },
    ]);
    expect(config).toMatchObject({
      DOMAIN_CLIENT: 'https://chat.contoso.com',
      DOMAIN_SERVER: 'https://chat.contoso.com',
      ALLOW_SOCIAL_LOGIN: true,
      OPENID_ISSUER: 'https://login.microsoftonline.com/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/v2.0/',
      OPENID_SCOPE: ['openid', 'profile', 'email'],
      OPENID_CALLBACK_URL: '/oauth/openid/callback',
      OPENID_REQUIRED_ROLE: ['Gatehouse.User'],
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles',
      OPENID_USE_END_SESSION_ENDPOINT: true,
      OPENID_REUSE_TOKENS: true,
      USE_ENTRA_ID_FOR_PEOPLE_SEARCH: true,
      ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: true,
      ENABLE_SHAREPOINT_FILEPICKER: true,
      SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.com',
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.com/AllSites.Read',
      SHAREPOINT_PICKER_GRAPH_SCOPE: 'Files.Read.All',
      redirectUri: 'https://chat.contoso.com/oauth/openid/callback',
    });
  });

  it('appends OPENID_GRAPH_SCOPES to the scopes requested at sign-in, as the seed says, and offline_access for token reuse', () => {
    const config = loadConfig(seedEnv());
    expect(config.loginScopes).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'User.Read',
      'People.Read',
      'GroupMember.Read.All',
      'User.ReadBasic.All',
    ]);
  });
});

describe('login scopes', () => {
  it('drop duplicates case-insensitively, keeping the first spelling', () => {
    const config = loadConfig(
      withChanges(validEnv(), {
        OPENID_SCOPE: 'openid profile email offline_access User.Read',
        OPENID_GRAPH_SCOPES: 'user.read,User.ReadBasic.All,GroupMember.Read.All',
      }),
    );
    expect(config.loginScopes).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'User.Read',
      'User.ReadBasic.All',
      'GroupMember.Read.All',
    ]);
  });

  it("use the seed's Graph permissions when people search is on and OPENID_GRAPH_SCOPES is unset", () => {
    const config = loadConfig(withChanges(validEnv(), { OPENID_GRAPH_SCOPES: undefined }));
    expect(config.OPENID_GRAPH_SCOPES).toEqual([
      'User.Read',
      'People.Read',
      'GroupMember.Read.All',
      'User.ReadBasic.All',
    ]);
  });

  it('ask for offline_access only with token reuse', () => {
    const without = {
      USE_ENTRA_ID_FOR_PEOPLE_SEARCH: undefined,
      ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: undefined,
      ENABLE_SHAREPOINT_FILEPICKER: undefined,
      OPENID_GRAPH_SCOPES: undefined,
    };
    const off = loadConfig(
      withChanges(validEnv(), { ...without, OPENID_SCOPE: 'openid profile', OPENID_REUSE_TOKENS: 'false' }),
    );
    expect(off.loginScopes).toEqual(['openid', 'profile']);
    const on = loadConfig(withChanges(validEnv(), { ...without, OPENID_SCOPE: 'openid profile' }));
    expect(on.loginScopes).toEqual(['openid', 'profile', 'offline_access']);
  });

  it('ask a provider without people search for no Graph permission', () => {
    const config = loadConfig(
      withChanges(validEnv(), {
        OPENID_ISSUER: 'https://idp.contoso.com/realms/gatehouse',
        OPENID_CLIENT_ID: 'gatehouse',
        OPENID_GRAPH_SCOPES: undefined,
        USE_ENTRA_ID_FOR_PEOPLE_SEARCH: undefined,
        ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: undefined,
        ENABLE_SHAREPOINT_FILEPICKER: undefined,
      }),
    );
    expect(config.loginScopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
  });
});

describe('every problem at once', () => {
  const broken = () => parseEnvText(fixture('broken.env'));

  it('reports one error per broken line, each naming its variable', () => {
    const { config, issues } = checkConfig(broken());
    expect(config).toBeUndefined();
    const errors = issues.filter((issue) => issue.severity === 'error').map((issue) => issue.variable);
    expect(errors).toEqual([
      'DOMAIN_SERVER',
      'DOMAIN_CLIENT',
      'OPENID_CLIENT_ID',
      'OPENID_CLIENT_SECRET',
      'OPENID_ISSUER',
      'OPENID_SESSION_SECRET',
      'OPENID_SCOPE',
      'OPENID_REQUIRED_ROLE_TOKEN_KIND',
      'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
      'SESSION_EXPIRY',
      'USE_ENTRA_ID_FOR_PEOPLE_SEARCH',
      'ENABLE_SHAREPOINT_FILEPICKER',
      'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
      'SHAREPOINT_PICKER_GRAPH_SCOPE',
      'DATABASE_URL',
    ]);
    const warnings = issues.filter((issue) => issue.severity === 'warning').map((issue) => issue.variable);
    expect(warnings).toEqual(['ALLOW_SOCIAL_LOGIN', 'ALLOW_SOCIAL_LOGIN', 'OPENID_REQUIRED_ROLES']);
  });

  it('loadConfig throws a ConfigError whose message lists them, one per line, with fixes', () => {
    const thrown = (() => {
      try {
        loadConfig(broken());
      } catch (caught) {
        return caught;
      }
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    const { message, issues } = thrown as ConfigError;
    expect(message).toMatch(/^Gatehouse configuration has 15 problems:/);
    const lines = message.split('\n').filter((line) => line.startsWith('  - '));
    expect(lines).toHaveLength(15);
    for (const line of lines) expect(line).toMatch(/^ {2}- [A-Z_]+: .+ Fix: .+\.$/);
    expect(message).toContain(
      '  - OPENID_SESSION_SECRET: is 16 characters long; it must be at least 32. Fix:',
    );
    expect(message).toContain('SHAREPOINT_PICKER_SHAREPOINT_SCOPE: starts with "="');
    expect(issues.some((issue) => issue.severity === 'warning')).toBe(true);
  });

  it('never shows a secret, even one pasted into the wrong variable', () => {
    const env = withChanges(parseEnvText(fixture('broken.env')), {
      OPENID_CLIENT_ID: CLIENT_SECRET,
      OPENID_CLIENT_SECRET: CLIENT_SECRET,
      OPENID_ISSUER: 'https://login.microsoftonline.com/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/v2.0',
      OPENID_SESSION_SECRET_PREVIOUS: `${SESSION_SECRET},short-former-secret`,
      PROXY: 'http://proxyuser:pr%40xy-password@proxy:3128',
    });
    const { issues } = checkConfig(env);
    const text = JSON.stringify(issues);
    expect(issues.find((issue) => issue.variable === 'OPENID_CLIENT_ID')?.problem).toContain('[redacted]');
    for (const secret of [
      CLIENT_SECRET,
      SESSION_SECRET,
      'short-former-secret',
      'hunter2-db-password',
      'pr%40xy-password',
      'pr@xy-password',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('values are read as LibreChat reads them', () => {
  it('a .env line with a trailing comment and quotes, through dotenv', () => {
    const env = parseEnvText(
      'OPENID_REQUIRED_ROLE_PARAMETER_PATH="roles"\nOPENID_SCOPE=openid profile email offline_access #DO NOT CHANGE THIS\n',
    );
    const config = loadConfig({ ...validEnv(), ...env });
    expect(config.OPENID_REQUIRED_ROLE_PARAMETER_PATH).toBe('roles');
    expect(config.OPENID_SCOPE).toEqual(['openid', 'profile', 'email', 'offline_access']);
  });

  it("the same lines through Docker's --env-file, which keeps quotes and comments", () => {
    const { config, issues } = checkConfig(
      withChanges(validEnv(), {
        OPENID_REQUIRED_ROLE_PARAMETER_PATH: '"roles"',
        OPENID_SCOPE: 'openid profile email offline_access #DO NOT CHANGE THIS',
      }),
    );
    expect(config?.OPENID_REQUIRED_ROLE_PARAMETER_PATH).toBe('roles');
    expect(config?.OPENID_SCOPE).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expectIssues(issues, [
      {
        variable: 'OPENID_SCOPE',
        severity: 'warning',
        problem: /comment "#DO NOT CHANGE THIS"/,
        fix: /line of its own/,
      },
    ]);
  });

  it('a secret keeps its # and its spaces', () => {
    const secret = 'ab cd #ef gh ij kl mn op qr st uv wx yz 01';
    expect(loadConfig(withChanges(validEnv(), { OPENID_SESSION_SECRET: secret })).OPENID_SESSION_SECRET).toBe(
      secret,
    );
  });

  it('an empty value is unset', () => {
    const config = loadConfig(withChanges(validEnv(), { OPENID_AUDIENCE: '', PORT: '' }));
    expect(config.OPENID_AUDIENCE).toEqual([]);
    expect(config.PORT).toBe(3080);
  });

  it('NO_PROXY is read in either case, the upper case winning, as curl and undici read it', () => {
    expect(loadConfig({ ...validEnv(), no_proxy: 'localhost,.internal' }).NO_PROXY).toBe(
      'localhost,.internal',
    );
    expect(loadConfig({ ...validEnv(), NO_PROXY: 'a.test', no_proxy: 'b.test' }).NO_PROXY).toBe('a.test');
    expect(loadConfig(validEnv()).NO_PROXY).toBeUndefined();
  });

  it("the NAME==value typo of LibreChat's .env.example is named as such", () => {
    const { issues } = checkConfig(
      withChanges(validEnv(), {
        SHAREPOINT_PICKER_SHAREPOINT_SCOPE: '=https://contoso.sharepoint.com/AllSites.Read',
      }),
    );
    expectIssues(issues, [
      {
        variable: 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        severity: 'error',
        problem: /starts with "=".*SHAREPOINT_PICKER_SHAREPOINT_SCOPE==/,
        fix: /remove the extra "=": SHAREPOINT_PICKER_SHAREPOINT_SCOPE=https:\/\/contoso\.sharepoint\.com\/AllSites\.Read/,
      },
    ]);
  });
});

describe('the loaded config', () => {
  it('is deeply frozen', () => {
    const config = loadConfig(validEnv()) as unknown as Record<string, unknown>;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.OPENID_SCOPE)).toBe(true);
    expect(Object.isFrozen(config.DATABASE_URL)).toBe(true);
    expect(() => {
      config.OPENID_ISSUER = 'https://evil.example';
    }).toThrow(TypeError);
    expect(() => (config.OPENID_SCOPE as string[]).push('Mail.Read')).toThrow(TypeError);
  });

  it('hands warnings to onWarning and still loads', () => {
    const onWarning = vi.fn();
    const config = loadConfig(withChanges(validEnv(), { SESSION_COOKIE_SECURE: 'false' }), { onWarning });
    expect(config.SESSION_COOKIE_SECURE).toBe(false);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toMatchObject({
      variable: 'SESSION_COOKIE_SECURE',
      severity: 'warning',
    });
  });

  it('does not read process.env', () => {
    process.env.OPENID_CLIENT_ID = 'from-process-env';
    try {
      expect(checkConfig({}).issues.find((issue) => issue.variable === 'OPENID_CLIENT_ID')?.problem).toBe(
        'is not set',
      );
    } finally {
      delete process.env.OPENID_CLIENT_ID;
    }
  });
});

describe('devDefaults', () => {
  const urls = {
    issuer: 'http://localhost:3090/8c25abde-3c6d-4ca1-8ffc-69c01267db6e/v2.0',
    sharepointBaseUrl: 'http://127.0.0.1:3091',
  };

  it('is a complete configuration with every feature on and nothing to report', () => {
    const { config, issues } = checkConfig(devDefaults(urls));
    expect(issues).toEqual([]);
    expect(config).toMatchObject({
      OPENID_CLIENT_ID: '37f430eb-fc34-4aab-92b8-01a54ce1b692',
      OPENID_REQUIRED_ROLE: ['Gatehouse.User'],
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles',
      OPENID_REUSE_TOKENS: true,
      USE_ENTRA_ID_FOR_PEOPLE_SEARCH: true,
      ENABLE_SHAREPOINT_FILEPICKER: true,
      SHAREPOINT_BASE_URL: 'http://127.0.0.1:3091',
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'http://127.0.0.1:3091/AllSites.Read',
      GRAPH_BASE_URL: 'http://localhost:3090/v1.0',
      GATEHOUSE_EMULATOR: true,
      redirectUri: 'http://localhost:3080/oauth/openid/callback',
    });
  });

  it('is refused in production and against a real provider, but allowed for the production build against the emulator', () => {
    const errors = (env: Record<string, string>) =>
      checkConfig(env)
        .issues.filter((issue) => issue.severity === 'error')
        .map((issue) => issue.variable);
    const production = { ...devDefaults(urls), NODE_ENV: 'production' };
    expect(errors({ ...production, GATEHOUSE_EMULATOR: 'false' })).toEqual(['OPENID_SESSION_SECRET']);
    expect(
      errors({
        ...devDefaults(urls),
        OPENID_ISSUER: 'https://login.microsoftonline.com/8c25abde-3c6d-4ca1-8ffc-69c01267db6e/v2.0',
      }),
    ).toEqual(['OPENID_SESSION_SECRET']);
    // What e2e/global-setup.ts runs: the production bundle, the emulator, its defaults.
    const { issues } = checkConfig(production);
    expect(issues.map((issue) => `${issue.severity} ${issue.variable}`)).toEqual([
      'warning GATEHOUSE_EMULATOR',
    ]);
  });

  it('throws a TypeError for a URL that is not one', () => {
    expect(() => devDefaults({ ...urls, issuer: 'localhost:3090' })).toThrow(TypeError);
    expect(() => devDefaults({ ...urls, sharepointBaseUrl: '' })).toThrow(/sharepointBaseUrl/);
  });
});

describe('requiredGroupNames: the required values the BFF resolves as Entra group display names', () => {
  const guid = '5b8f1c2d-0e3a-4f6b-9c7d-1a2b3c4d5e6f';
  it.each([
    [
      'names and ids read from Entra groups',
      { OPENID_REQUIRED_ROLE: `Marketing,${guid},Marketing EU` },
      ['Marketing', 'Marketing EU'],
    ],
    [
      'a nested path ending in groups',
      { OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'claims.groups' },
      ['Marketing'],
    ],
    ['ids only', { OPENID_REQUIRED_ROLE: guid }, []],
    [
      'app roles (the roles claim holds values, not ids)',
      { OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles' },
      [],
    ],
    [
      "another provider's groups claim (names compared as written)",
      { OPENID_ISSUER: 'https://idp.contoso.com/realms/gatehouse', OPENID_CLIENT_ID: 'gatehouse' },
      [],
    ],
    [
      'the emulator stands in for Entra',
      {
        OPENID_ISSUER: 'http://localhost:3090/8c25abde-3c6d-4ca1-8ffc-69c01267db6e/v2.0',
        GATEHOUSE_EMULATOR: 'true',
      },
      ['Marketing'],
    ],
  ])('%s', (_name, changes: Record<string, string>, expected) => {
    const env = withChanges(validEnv(), {
      OPENID_REQUIRED_ROLE: 'Marketing',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      ...changes,
    });
    const { config } = checkConfig(env);
    expect(config?.requiredGroupNames).toEqual(expected);
  });
});
