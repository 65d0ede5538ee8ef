/**
 * Rules across variables. Each rule names the variables it reads; it is skipped when one of them
 * already failed to parse, so a single mistake is reported once, by the variable that is wrong.
 */
import { keyMatchesCertificate } from './client-certificate';
import { type CloudChoice, cloudById, cloudOfHost, graphBaseUrlOf, type MicrosoftCloud } from './clouds';
import { DEV_SESSION_SECRET } from './dev-defaults';
import {
  entraTenantSegment,
  graphPermission,
  isEntraIssuer,
  isGuid,
  multiTenantSegments,
  requiredGroupNames,
  scopeResource,
} from './entra';
import { type ConfigIssue, error, show, warning } from './issues';
import { type EnvVariable, flagVariables, type ResolvedEnv } from './schema';
import { isLoopbackHost, tryParseUrl } from './urls';

export interface RuleInput {
  /** Parsed values with dependent defaults applied. */
  env: ResolvedEnv;
  /** The normalised text of each variable that was set, for rules about how a value was written. */
  raw: Readonly<Partial<Record<EnvVariable, string>>>;
  /** The Microsoft cloud the configuration sends tokens to (clouds.ts `chooseCloud`). */
  cloud: CloudChoice;
}

export interface Rule {
  name: string;
  uses: readonly EnvVariable[];
  check(input: RuleInput): ConfigIssue[];
}

export function applyRules(input: RuleInput, failed: ReadonlySet<EnvVariable>): ConfigIssue[] {
  return rules
    .filter((rule) => rule.uses.every((variable) => !failed.has(variable)))
    .flatMap((rule) => rule.check(input));
}

const peopleSearchNeedsTokenReuse: Rule = {
  name: 'people search needs token reuse',
  uses: ['USE_ENTRA_ID_FOR_PEOPLE_SEARCH', 'OPENID_REUSE_TOKENS'],
  check: ({ env }) =>
    env.USE_ENTRA_ID_FOR_PEOPLE_SEARCH && !env.OPENID_REUSE_TOKENS
      ? [
          error(
            'USE_ENTRA_ID_FOR_PEOPLE_SEARCH',
            'is true, but OPENID_REUSE_TOKENS is not: searching the directory needs the refresh token that token reuse keeps',
            'set OPENID_REUSE_TOKENS=true (the refresh token stays on the server, encrypted), or USE_ENTRA_ID_FOR_PEOPLE_SEARCH=false',
          ),
        ]
      : [],
};

const pickerNeedsTokenReuse: Rule = {
  name: 'SharePoint picker needs token reuse',
  uses: ['ENABLE_SHAREPOINT_FILEPICKER', 'OPENID_REUSE_TOKENS'],
  check: ({ env }) =>
    env.ENABLE_SHAREPOINT_FILEPICKER && !env.OPENID_REUSE_TOKENS
      ? [
          error(
            'ENABLE_SHAREPOINT_FILEPICKER',
            'is true, but OPENID_REUSE_TOKENS is not: the picker and the downloads need the refresh token that token reuse keeps',
            'set OPENID_REUSE_TOKENS=true, or ENABLE_SHAREPOINT_FILEPICKER=false',
          ),
        ]
      : [],
};

/** ENABLE_SHAREPOINT_FILEPICKER=true needs `variable`; one rule per variable, so each is reported on its own. */
function pickerNeeds(variable: EnvVariable, example: (env: ResolvedEnv, site: string) => string): Rule {
  return {
    name: `the SharePoint picker needs ${variable}`,
    uses: ['ENABLE_SHAREPOINT_FILEPICKER', variable],
    check: ({ env, cloud }) =>
      env.ENABLE_SHAREPOINT_FILEPICKER && !env[variable]
        ? [
            error(
              variable,
              'is not set, but ENABLE_SHAREPOINT_FILEPICKER=true needs it',
              `set it, e.g. ${variable}=${example(env, `https://contoso.${cloud.cloud.sharePointSuffix}`)}`,
            ),
          ]
        : [],
  };
}

const pickerNeedsItsSettings = [
  // Examples on the SharePoint Online host of the configuration's cloud (contoso.sharepoint.us in GCC High).
  pickerNeeds('SHAREPOINT_BASE_URL', (_env, site) => site),
  pickerNeeds(
    'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
    (env, site) => `${env.SHAREPOINT_BASE_URL ?? site}/AllSites.Read`,
  ),
  pickerNeeds('SHAREPOINT_PICKER_GRAPH_SCOPE', () => 'Files.Read.All'),
];

const pickerScopeMatchesSite: Rule = {
  name: "the SharePoint scope's host is the site's host",
  uses: ['SHAREPOINT_BASE_URL', 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE'],
  check: ({ env }) => {
    const site = tryParseUrl(env.SHAREPOINT_BASE_URL ?? '');
    const scope = tryParseUrl(env.SHAREPOINT_PICKER_SHAREPOINT_SCOPE ?? '');
    if (!site || !scope || site.host === scope.host) return [];
    return [
      error(
        'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
        `is for ${scope.host}, but SHAREPOINT_BASE_URL is on ${site.host}: SharePoint refuses a token minted for another host`,
        `use the site's host, e.g. SHAREPOINT_PICKER_SHAREPOINT_SCOPE=${site.origin}/AllSites.Read`,
      ),
    ];
  },
};

const ownersNeedPeopleSearch: Rule = {
  name: 'owners as members only matters with people search',
  uses: ['ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS', 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH'],
  check: ({ env }) =>
    env.ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS && !env.USE_ENTRA_ID_FOR_PEOPLE_SEARCH
      ? [
          warning(
            'ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS',
            'is true, but USE_ENTRA_ID_FOR_PEOPLE_SEARCH is not, so no Entra group can be shared with and it has no effect',
            'set USE_ENTRA_ID_FOR_PEOPLE_SEARCH=true, or remove ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS',
          ),
        ]
      : [],
};

const requiredRoleIsNotThePlaceholder: Rule = {
  name: "the required role is not the docs' placeholder",
  uses: ['OPENID_REQUIRED_ROLE'],
  check: ({ env }) =>
    env.OPENID_REQUIRED_ROLE.some((role) => /^your group name$/i.test(role))
      ? [
          error(
            'OPENID_REQUIRED_ROLE',
            'still holds the placeholder text from the docs ("Your Group Name")',
            'write the app role(s) a user needs, comma-separated, e.g. Gatehouse.User',
          ),
        ]
      : [],
};

/** A required role needs to know where to look; one rule per variable, so each is reported on its own. */
function requiredRoleNeeds(variable: EnvVariable, what: string, fix: string): Rule {
  return {
    name: `a required role needs ${variable}`,
    uses: ['OPENID_REQUIRED_ROLE', variable],
    check: ({ env }) =>
      env.OPENID_REQUIRED_ROLE.length > 0 && !env[variable]
        ? [
            error(
              variable,
              `is not set, but OPENID_REQUIRED_ROLE is, so there is no ${what} to read the roles from`,
              fix,
            ),
          ]
        : [],
  };
}

const requiredRoleSaysWhereToLook = [
  requiredRoleNeeds(
    'OPENID_REQUIRED_ROLE_TOKEN_KIND',
    'token',
    'set OPENID_REQUIRED_ROLE_TOKEN_KIND=id (Entra puts app roles and groups into the ID token), access or userinfo',
  ),
  requiredRoleNeeds(
    'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
    'claim',
    'set OPENID_REQUIRED_ROLE_PARAMETER_PATH=roles for Entra app roles (or groups for group object ids)',
  ),
];

const entraRoleClaims: Rule = {
  name: 'Entra role claims hold what the required role expects',
  uses: [
    'OPENID_ISSUER',
    'OPENID_REQUIRED_ROLE',
    'OPENID_REQUIRED_ROLE_TOKEN_KIND',
    'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
  ],
  check: ({ env }) => {
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    if (!issuer || !isEntraIssuer(issuer) || env.OPENID_REQUIRED_ROLE.length === 0) return [];
    const issues: ConfigIssue[] = [];
    const names = requiredGroupNames({
      issuer: env.OPENID_ISSUER,
      emulator: env.GATEHOUSE_EMULATOR,
      path: env.OPENID_REQUIRED_ROLE_PARAMETER_PATH,
      required: env.OPENID_REQUIRED_ROLE,
    });
    const tenant = entraTenantSegment(issuer)?.toLowerCase();
    if (names.length > 0 && (multiTenantSegments as readonly string[]).includes(tenant ?? '')) {
      // A display name means something in one directory only, and client credentials need a tenant.
      issues.push(
        error(
          'OPENID_REQUIRED_ROLE',
          `names groups by display name (${names.map(show).join(', ')}), which Gatehouse resolves in one tenant's directory, but OPENID_ISSUER is the multi-tenant /${tenant}/ endpoint`,
          "use each group's Object ID from the Entra admin center, or an issuer with your tenant id",
        ),
      );
    }
    if (env.OPENID_REQUIRED_ROLE_TOKEN_KIND === 'access') {
      issues.push(
        warning(
          'OPENID_REQUIRED_ROLE_TOKEN_KIND',
          "is access, but Entra issues the sign-in's access token for Microsoft Graph: it carries Graph's claims, not your app's roles",
          'use OPENID_REQUIRED_ROLE_TOKEN_KIND=id: the ID token carries the app roles and groups of your registration',
        ),
      );
    }
    if (env.OPENID_REQUIRED_ROLE_TOKEN_KIND === 'userinfo') {
      issues.push(
        warning(
          'OPENID_REQUIRED_ROLE_TOKEN_KIND',
          "is userinfo, but Entra's userinfo endpoint returns only sub, name, given_name, family_name, email and picture, never roles or groups",
          'use OPENID_REQUIRED_ROLE_TOKEN_KIND=id',
        ),
      );
    }
    return issues;
  },
};

const scopeHasOpenidAndOfflineAccess: Rule = {
  name: 'token reuse asks for a refresh token',
  uses: ['OPENID_REUSE_TOKENS', 'OPENID_SCOPE'],
  check: ({ env }) =>
    env.OPENID_REUSE_TOKENS && !env.OPENID_SCOPE.includes('offline_access')
      ? [
          warning(
            'OPENID_SCOPE',
            'does not contain offline_access although OPENID_REUSE_TOKENS=true; Gatehouse adds it to the sign-in request, since token reuse needs a refresh token',
            `write it, so that the file says what is requested (and LibreChat, reading the same .env, gets a refresh token too): OPENID_SCOPE=${[...env.OPENID_SCOPE, 'offline_access'].join(' ')}`,
          ),
        ]
      : [],
};

const oneResourcePerSignIn: Rule = {
  name: 'one resource per sign-in request',
  uses: ['OPENID_SCOPE', 'OPENID_GRAPH_SCOPES'],
  check: ({ env }) => {
    const resources = new Set(
      [...env.OPENID_SCOPE, ...env.OPENID_GRAPH_SCOPES].map(scopeResource).filter((r) => r !== undefined),
    );
    if (resources.size < 2) return [];
    const foreign = env.OPENID_SCOPE.filter((scope) => {
      const resource = scopeResource(scope);
      return resource !== undefined && resource !== 'graph';
    });
    return [
      error(
        'OPENID_SCOPE',
        `asks for ${foreign.map(show).join(', ')} while OPENID_GRAPH_SCOPES adds Microsoft Graph permissions to the same sign-in; Entra refuses scopes of two resources in one request (AADSTS28000)`,
        `remove ${foreign.join(' ')} from OPENID_SCOPE: Gatehouse gets Graph and SharePoint tokens by redeeming its refresh token, without an on-behalf-of exchange`,
      ),
    ];
  },
};

const peopleSearchPermissions: Rule = {
  name: 'people search has the Graph permissions it needs',
  uses: ['USE_ENTRA_ID_FOR_PEOPLE_SEARCH', 'OPENID_GRAPH_SCOPES'],
  check: ({ env }) => {
    if (!env.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) return [];
    const granted = new Set(env.OPENID_GRAPH_SCOPES.map(graphPermission));
    const hasAny = (...permissions: string[]) => permissions.some((permission) => granted.has(permission));
    const issues: ConfigIssue[] = [];
    if (!hasAny('user.readbasic.all', 'user.read.all', 'directory.read.all')) {
      issues.push(
        warning(
          'OPENID_GRAPH_SCOPES',
          'has no permission to list users (User.ReadBasic.All, User.Read.All or Directory.Read.All), so people search finds no colleagues',
          'add User.ReadBasic.All',
        ),
      );
    }
    if (!hasAny('groupmember.read.all', 'group.read.all', 'directory.read.all')) {
      issues.push(
        warning(
          'OPENID_GRAPH_SCOPES',
          'has no permission to read groups (GroupMember.Read.All, Group.Read.All or Directory.Read.All), so people search finds no groups',
          'add GroupMember.Read.All (it needs admin consent in Entra)',
        ),
      );
    }
    return issues;
  },
};

const entraIssuerShape: Rule = {
  name: 'an Entra issuer names a tenant and the v2.0 endpoint',
  uses: ['OPENID_ISSUER'],
  check: ({ env }) => {
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    if (!issuer || !isEntraIssuer(issuer)) return [];
    const tenant = entraTenantSegment(issuer);
    const example = `https://${issuer.host}/${tenant && isGuid(tenant) ? tenant : '<Directory (tenant) ID>'}/v2.0`;
    const segments = issuer.pathname.split('/').filter(Boolean);
    if (!tenant || segments.length !== 2 || segments[1] !== 'v2.0') {
      return [
        error(
          'OPENID_ISSUER',
          `is ${show(env.OPENID_ISSUER)}, not Entra's v2.0 issuer (the v1.0 endpoint issues tokens from sts.windows.net, which do not match)`,
          `write ${example}`,
        ),
      ];
    }
    // Who may sign in through a multi-tenant endpoint is OPENID_ALLOWED_TENANTS's rule.
    if ((multiTenantSegments as readonly string[]).includes(tenant.toLowerCase())) return [];
    if (!isGuid(tenant)) {
      return [
        warning(
          'OPENID_ISSUER',
          `names the tenant by domain (${tenant}); the issuer in Entra's tokens and metadata always uses the tenant id, so they will not match`,
          `use the Directory (tenant) ID: ${example}`,
        ),
      ];
    }
    return [];
  },
};

/**
 * A multi-tenant issuer (`common`, `organizations`, `consumers`) accepts ID tokens from every Entra
 * organisation in the world: only OPENID_ALLOWED_TENANTS says which may sign in. Left unset that is
 * refused, not merely warned about: an open door must be written down (`*`). A required role does
 * not close it, since each organisation's own administrators assign the app's roles in their tenant.
 * With a single-tenant issuer, only that tenant's tokens validate, so a list adds nothing.
 */
const multiTenantAllowList: Rule = {
  name: 'a multi-tenant issuer names the organisations that may sign in',
  uses: ['OPENID_ISSUER', 'OPENID_ALLOWED_TENANTS', 'GATEHOUSE_EMULATOR'],
  check: ({ env }) => {
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    const allowed = env.OPENID_ALLOWED_TENANTS;
    const entra = issuer !== undefined && (isEntraIssuer(issuer) || env.GATEHOUSE_EMULATOR);
    if (!issuer || !entra) {
      return allowed === undefined
        ? []
        : [
            error(
              'OPENID_ALLOWED_TENANTS',
              "is set, but OPENID_ISSUER is not Microsoft Entra's: only Entra's ID tokens name their tenant (tid), and Gatehouse refuses every sign-in whose token names none on the list",
              'remove OPENID_ALLOWED_TENANTS (it is for Entra multi-tenant issuers), or set GATEHOUSE_EMULATOR=true for the local emulator',
            ),
          ];
    }
    const tenant = entraTenantSegment(issuer)?.toLowerCase() ?? '';
    if ((multiTenantSegments as readonly string[]).includes(tenant)) {
      if (allowed === undefined) {
        return [
          error(
            'OPENID_ALLOWED_TENANTS',
            `is not set, but OPENID_ISSUER is the multi-tenant /${tenant}/ endpoint: people from any Microsoft Entra organisation in the world could sign in`,
            'list the Directory (tenant) IDs of the organisations that may sign in, e.g. OPENID_ALLOWED_TENANTS=<your tenant id>,<partner tenant id>; to admit every organisation on purpose, write OPENID_ALLOWED_TENANTS=*',
          ),
        ];
      }
      if (allowed === '*') {
        return [
          warning(
            'OPENID_ALLOWED_TENANTS',
            `is *, with the multi-tenant /${tenant}/ endpoint: people from any Microsoft Entra organisation can sign in (a required role does not stop them: each organisation's administrators assign your app's roles in their own tenant)`,
            'list the Directory (tenant) IDs of the organisations that may sign in instead',
          ),
        ];
      }
      return [];
    }
    if (allowed === undefined) return [];
    if (isGuid(tenant) && allowed !== '*' && !allowed.includes(tenant)) {
      return [
        error(
          'OPENID_ALLOWED_TENANTS',
          `does not contain ${tenant}, the tenant of OPENID_ISSUER, whose ID tokens are the only ones accepted: nobody could sign in`,
          `remove OPENID_ALLOWED_TENANTS (a single-tenant issuer admits its own tenant only), or use a multi-tenant issuer such as https://${issuer.host}/organizations/v2.0 to admit the listed organisations`,
        ),
      ];
    }
    return [
      warning(
        'OPENID_ALLOWED_TENANTS',
        'has no effect: OPENID_ISSUER names one tenant, and only its ID tokens are accepted',
        `remove OPENID_ALLOWED_TENANTS, or use https://${issuer.host}/organizations/v2.0 to admit several organisations`,
      ),
    ];
  },
};

const entraClientIdIsGuid: Rule = {
  name: "Entra's client id is a GUID",
  uses: ['OPENID_ISSUER', 'OPENID_CLIENT_ID'],
  check: ({ env }) => {
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    if (!issuer || !isEntraIssuer(issuer) || isGuid(env.OPENID_CLIENT_ID)) return [];
    return [
      error(
        'OPENID_CLIENT_ID',
        `is ${show(env.OPENID_CLIENT_ID)}, but an Entra Application (client) ID is a GUID`,
        "copy the Application (client) ID from the app registration's Overview page",
      ),
    ];
  },
};

const entraSecretIsNotItsId: Rule = {
  name: "the client secret is the secret's value, not its id",
  uses: ['OPENID_ISSUER', 'OPENID_CLIENT_SECRET'],
  check: ({ env }) => {
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    if (!issuer || !isEntraIssuer(issuer) || !env.OPENID_CLIENT_SECRET || !isGuid(env.OPENID_CLIENT_SECRET))
      return [];
    return [
      warning(
        'OPENID_CLIENT_SECRET',
        'looks like a GUID: Entra shows a secret\'s "Secret ID" next to its "Value", and the ID is not the secret (AADSTS7000215)',
        'copy the Value column (it is only shown right after the secret is created; create a new secret if it is hidden)',
      ),
    ];
  },
};

/**
 * A confidential client proves itself with a secret or with a certificate, never both: with both set
 * it would be unclear which one Entra checks, and a leaked secret would stay usable.
 */
const oneClientCredential: Rule = {
  name: 'one client credential: a secret or a certificate',
  uses: ['OPENID_CLIENT_SECRET', 'OPENID_CLIENT_CERTIFICATE', 'OPENID_CLIENT_PRIVATE_KEY'],
  check: ({ env }) => {
    const secret = env.OPENID_CLIENT_SECRET !== undefined;
    const certificate = env.OPENID_CLIENT_CERTIFICATE;
    const key = env.OPENID_CLIENT_PRIVATE_KEY;
    if (!secret && !certificate && !key) {
      return [
        error(
          'OPENID_CLIENT_SECRET',
          'is not set, and no certificate is configured either',
          "create a client secret under Certificates & secrets and copy its Value, or upload a certificate there and set OPENID_CLIENT_CERTIFICATE and OPENID_CLIENT_PRIVATE_KEY (Gatehouse's server is a confidential client, so OPENID_USE_PKCE alone is not enough)",
        ),
      ];
    }
    if (secret && (certificate || key)) {
      return [
        error(
          'OPENID_CLIENT_SECRET',
          `is set together with ${certificate ? 'OPENID_CLIENT_CERTIFICATE' : 'OPENID_CLIENT_PRIVATE_KEY'}: set one credential only`,
          'remove OPENID_CLIENT_SECRET to use the certificate (and delete the secret in Certificates & secrets), or remove the certificate variables',
        ),
      ];
    }
    if (certificate && !key) {
      return [
        error(
          'OPENID_CLIENT_PRIVATE_KEY',
          "is not set, but OPENID_CLIENT_CERTIFICATE is: assertions are signed with the certificate's private key",
          'set it to the path of the PEM private key of that certificate (or the PEM text)',
        ),
      ];
    }
    if (key && !certificate) {
      return [
        error(
          'OPENID_CLIENT_CERTIFICATE',
          "is not set, but OPENID_CLIENT_PRIVATE_KEY is: Entra finds the key by the certificate's thumbprint",
          'set it to the path of the PEM certificate uploaded to the app registration (or the PEM text)',
        ),
      ];
    }
    if (certificate && key && !keyMatchesCertificate(key, certificate.pem)) {
      return [
        error(
          'OPENID_CLIENT_PRIVATE_KEY',
          `is not the private key of the certificate in OPENID_CLIENT_CERTIFICATE (thumbprint ${certificate.sha1Thumbprint})`,
          'use the key the certificate was created with; Entra would refuse every assertion (AADSTS700027)',
        ),
      ];
    }
    return [];
  },
};

const devSecretStaysLocal: Rule = {
  name: 'the published development secret is for local use only',
  uses: ['OPENID_SESSION_SECRET', 'OPENID_ISSUER', 'NODE_ENV', 'GATEHOUSE_EMULATOR'],
  check: ({ env }) => {
    if (env.OPENID_SESSION_SECRET !== DEV_SESSION_SECRET) return [];
    // Allowed against a provider on this machine: in development, and in tests of the production
    // build that run against the emulator (which then warns about itself).
    const issuer = tryParseUrl(env.OPENID_ISSUER);
    const local = issuer !== undefined && isLoopbackHost(issuer.hostname);
    if (local && (env.NODE_ENV !== 'production' || env.GATEHOUSE_EMULATOR)) return [];
    return [
      error(
        'OPENID_SESSION_SECRET',
        "is the development secret published in Gatehouse's repository, used outside local development",
        'generate one with `openssl rand -base64 48`',
      ),
    ];
  },
};

const signInIsOffered: Rule = {
  name: 'the login page offers sign-in',
  uses: ['ALLOW_SOCIAL_LOGIN', 'OPENID_AUTO_REDIRECT'],
  check: ({ env }) => {
    if (env.ALLOW_SOCIAL_LOGIN) return [];
    return [
      warning(
        'ALLOW_SOCIAL_LOGIN',
        'is not true, so the login page shows no sign-in button and nobody can sign in (as in LibreChat)',
        'set ALLOW_SOCIAL_LOGIN=true',
      ),
      ...(env.OPENID_AUTO_REDIRECT
        ? [
            warning(
              'OPENID_AUTO_REDIRECT',
              'is true but has no effect while ALLOW_SOCIAL_LOGIN is not true',
              'set ALLOW_SOCIAL_LOGIN=true',
            ),
          ]
        : []),
    ];
  },
};

const oneOriginForSpaAndBff: Rule = {
  name: 'the SPA and the BFF share an origin',
  uses: ['DOMAIN_CLIENT', 'DOMAIN_SERVER'],
  check: ({ env }) =>
    env.DOMAIN_CLIENT === env.DOMAIN_SERVER
      ? []
      : [
          warning(
            'DOMAIN_CLIENT',
            `is ${env.DOMAIN_CLIENT} but DOMAIN_SERVER is ${env.DOMAIN_SERVER}: the SPA calls /api on its own origin and the host-only session cookie is not sent across origins`,
            'serve the SPA and the BFF from one origin (the BFF serves the built SPA, or a proxy routes /api and /oauth to it) and set both to it',
          ),
        ],
};

const publicOriginInProduction: Rule = {
  name: 'production has a public origin',
  uses: ['DOMAIN_SERVER', 'NODE_ENV', 'GATEHOUSE_EMULATOR'],
  check: ({ env }) => {
    const server = tryParseUrl(env.DOMAIN_SERVER);
    // With the emulator, production means a local test of the production build; that gets its own warning.
    if (env.NODE_ENV !== 'production' || env.GATEHOUSE_EMULATOR) return [];
    if (!server || !isLoopbackHost(server.hostname)) return [];
    return [
      warning(
        'DOMAIN_SERVER',
        `is ${env.DOMAIN_SERVER} while NODE_ENV=production; the provider sends users back to DOMAIN_SERVER + OPENID_CALLBACK_URL`,
        'set it to the public https origin, e.g. DOMAIN_SERVER=https://chat.contoso.com',
      ),
    ];
  },
};

const emulatorIsForDevelopment: Rule = {
  name: 'the emulator is not for production',
  uses: ['GATEHOUSE_EMULATOR', 'NODE_ENV'],
  check: ({ env }) =>
    env.GATEHOUSE_EMULATOR && env.NODE_ENV === 'production'
      ? [
          warning(
            'GATEHOUSE_EMULATOR',
            'is true while NODE_ENV=production; the emulator signs in anyone who knows the demo password',
            'remove GATEHOUSE_EMULATOR and point OPENID_ISSUER at your tenant',
          ),
        ]
      : [],
};

const sessionLifetimes: Rule = {
  name: 'session lifetimes are in milliseconds and in order',
  uses: ['SESSION_EXPIRY', 'REFRESH_TOKEN_EXPIRY'],
  check: ({ env }) => {
    const issues: ConfigIssue[] = [];
    for (const variable of ['SESSION_EXPIRY', 'REFRESH_TOKEN_EXPIRY'] as const) {
      const value = env[variable];
      if (value < 60_000) {
        issues.push(
          warning(
            variable,
            `is ${value} ms, under a minute: was it meant in seconds?`,
            `write milliseconds, e.g. ${variable}=${value} * 1000 for ${value} seconds`,
          ),
        );
      }
    }
    if (env.REFRESH_TOKEN_EXPIRY < env.SESSION_EXPIRY) {
      issues.push(
        warning(
          'REFRESH_TOKEN_EXPIRY',
          `(${env.REFRESH_TOKEN_EXPIRY} ms, the absolute session lifetime) is shorter than SESSION_EXPIRY (${env.SESSION_EXPIRY} ms, the idle timeout)`,
          'make REFRESH_TOKEN_EXPIRY at least SESSION_EXPIRY',
        ),
      );
    }
    return issues;
  },
};

const cookieIsAlwaysSecure: Rule = {
  name: 'the session cookie is always Secure',
  uses: ['SESSION_COOKIE_SECURE'],
  check: ({ env }) =>
    env.SESSION_COOKIE_SECURE === false
      ? [
          warning(
            'SESSION_COOKIE_SECURE',
            'is false, but Gatehouse always marks its `__Host-` session cookie Secure; browsers accept that on http://localhost too',
            'remove SESSION_COOKIE_SECURE',
          ),
        ]
      : [],
};

const flagsReadLikeLibreChat: Rule = {
  name: 'switches are true or false',
  uses: [],
  check: ({ raw }) =>
    flagVariables.flatMap((variable) => {
      const value = raw[variable];
      if (value === undefined || /^(true|false)$/i.test(value)) return [];
      return [
        warning(
          variable,
          `is ${show(value)}, which is read as false: only "true" turns it on (as in LibreChat)`,
          `write ${variable}=true or ${variable}=false`,
        ),
      ];
    }),
};

/** The choice of the cloud reads these; a rule about clouds is skipped when one of them failed. */
const cloudInputs = [
  'OPENID_ISSUER',
  'GRAPH_BASE_URL',
  'SHAREPOINT_BASE_URL',
  'OPENID_GRAPH_SCOPES',
] as const;

/** `the Microsoft global cloud (issuer host login.microsoftonline.com)` */
function describeChoice(choice: CloudChoice): string {
  return `${choice.cloud.name} (${choice.from})`;
}

/**
 * Tokens never leave their cloud: a Microsoft host in `variable` (Graph, SharePoint Online, a sign-in
 * host) must be one of the configuration's cloud. An error, not a warning: the BFF would send the
 * access tokens of one sovereign cloud to the servers of another.
 */
function staysInItsCloud(
  variable: EnvVariable,
  hostsOf: (env: ResolvedEnv, raw: RuleInput['raw']) => string[],
  fix: (cloud: MicrosoftCloud, host: string) => string,
): Rule {
  return {
    name: `${variable} is in the configuration's Microsoft cloud`,
    uses: [...cloudInputs, variable],
    check: ({ env, raw, cloud }) => {
      for (const host of hostsOf(env, raw)) {
        const other = cloudOfHost(host);
        if (!other || other === cloud.cloud) continue;
        return [
          error(
            variable,
            `names ${host}, a host of ${other.name}, but the configuration is for ${describeChoice(cloud)}: Gatehouse would send that cloud's access tokens to another cloud`,
            fix(cloud.cloud, host),
          ),
        ];
      }
      return [];
    },
  };
}

const hostOfUrl = (text: string | undefined) => {
  const url = text ? tryParseUrl(text) : undefined;
  return url ? [url.hostname.toLowerCase()] : [];
};
const hostsOfScopes = (scopes: readonly string[]) =>
  scopes.flatMap((scope) => (scope.includes('://') ? hostOfUrl(scope.slice(0, scope.lastIndexOf('/'))) : []));

const tokensStayInTheirCloud = [
  staysInItsCloud(
    'GRAPH_BASE_URL',
    (_env, raw) => hostOfUrl(raw.GRAPH_BASE_URL),
    (cloud) =>
      `use the Graph of the issuer's cloud, GRAPH_BASE_URL=${graphBaseUrlOf(cloud)} (or remove it: that is the default), or correct OPENID_ISSUER`,
  ),
  staysInItsCloud(
    'SHAREPOINT_BASE_URL',
    (env) => hostOfUrl(env.SHAREPOINT_BASE_URL),
    (cloud) =>
      `use your SharePoint Online site in that cloud, e.g. SHAREPOINT_BASE_URL=https://contoso.${cloud.sharePointSuffix}`,
  ),
  staysInItsCloud(
    'OPENID_GRAPH_SCOPES',
    (env) => hostsOfScopes(env.OPENID_GRAPH_SCOPES),
    (cloud) =>
      `write the permissions without a host (User.Read: Gatehouse adds https://${cloud.graphHost}/), or with https://${cloud.graphHost}/`,
  ),
  staysInItsCloud(
    'SHAREPOINT_PICKER_GRAPH_SCOPE',
    (env) => hostsOfScopes(env.SHAREPOINT_PICKER_GRAPH_SCOPE ? [env.SHAREPOINT_PICKER_GRAPH_SCOPE] : []),
    (cloud) => `write Files.Read.All (Gatehouse adds https://${cloud.graphHost}/)`,
  ),
];

/** GCC High and DoD share login.microsoftonline.us; without a hint Gatehouse assumes GCC High. */
const usGovernmentNeedsItsGraph: Rule = {
  name: 'a US Government issuer says GCC High or DoD',
  uses: cloudInputs,
  check: ({ cloud, raw }) => {
    if (!cloud.assumed) return [];
    const set = raw.GRAPH_BASE_URL;
    const setHost = set ? tryParseUrl(set)?.hostname : undefined;
    // A Microsoft Graph of another cloud is the error of tokensStayInTheirCloud.
    if (setHost && cloudOfHost(setHost)) return [];
    const what = set ? `is ${show(set)}, which does not say GCC High or DoD either` : 'is not set';
    return [
      warning(
        'GRAPH_BASE_URL',
        `${what}, and OPENID_ISSUER's host (${cloud.from.replace(/^issuer host /, '')}) serves both GCC High and DoD: Gatehouse ${set ? "names GCC High's Graph in its scopes" : `uses GCC High's ${graphBaseUrlOf(cloud.cloud)}`}`,
        `set GRAPH_BASE_URL=${graphBaseUrlOf(cloud.cloud)} for GCC High, or GRAPH_BASE_URL=${graphBaseUrlOf(cloudById('usgov-dod'))} for DoD (behind a Graph proxy, write OPENID_GRAPH_SCOPES with the host instead, e.g. https://${cloudById('usgov-dod').graphHost}/User.Read; \`pnpm run doctor\` reads which cloud from your tenant's metadata)`,
      ),
    ];
  },
};

/**
 * EMULATOR_HOST_MAP sends requests for Microsoft's hosts, tokens included, to local ports: only for
 * the emulator, in development or tests, for an app on this machine (the BFF checks all three again
 * before it applies the map). NODE_ENV is free text, so anything but development or test counts as
 * production here: a stray map on a server whose NODE_ENV says `staging` must not send its client
 * credentials and refresh tokens over plain http to whatever listens on a local port.
 */
const hostMapIsForTheEmulator: Rule = {
  name: 'the emulator host map is for local tests only',
  uses: ['EMULATOR_HOST_MAP', 'GATEHOUSE_EMULATOR', 'NODE_ENV', 'DOMAIN_SERVER'],
  check: ({ env }) => {
    if (Object.keys(env.EMULATOR_HOST_MAP).length === 0) return [];
    if (env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test') {
      return [
        error(
          'EMULATOR_HOST_MAP',
          `is set while NODE_ENV=${env.NODE_ENV}: it would send requests for Microsoft's hosts, with their tokens, to local ports`,
          'remove EMULATOR_HOST_MAP: it is for development and tests against the emulator only',
        ),
      ];
    }
    const server = tryParseUrl(env.DOMAIN_SERVER);
    if (!server || !isLoopbackHost(server.hostname)) {
      return [
        error(
          'EMULATOR_HOST_MAP',
          `is set for an app served at ${show(env.DOMAIN_SERVER)}, which is not this machine`,
          'remove EMULATOR_HOST_MAP: it is for an app on localhost tested against the emulator',
        ),
      ];
    }
    if (!env.GATEHOUSE_EMULATOR) {
      return [
        error(
          'EMULATOR_HOST_MAP',
          'is set, but GATEHOUSE_EMULATOR is not true: the map only routes requests to the local emulator',
          'remove EMULATOR_HOST_MAP, or set GATEHOUSE_EMULATOR=true to test against the emulator',
        ),
      ];
    }
    return [];
  },
};

export const rules: readonly Rule[] = [
  peopleSearchNeedsTokenReuse,
  pickerNeedsTokenReuse,
  ...pickerNeedsItsSettings,
  pickerScopeMatchesSite,
  ownersNeedPeopleSearch,
  requiredRoleIsNotThePlaceholder,
  ...requiredRoleSaysWhereToLook,
  entraRoleClaims,
  scopeHasOpenidAndOfflineAccess,
  oneResourcePerSignIn,
  peopleSearchPermissions,
  entraIssuerShape,
  multiTenantAllowList,
  entraClientIdIsGuid,
  entraSecretIsNotItsId,
  oneClientCredential,
  devSecretStaysLocal,
  signInIsOffered,
  oneOriginForSpaAndBff,
  publicOriginInProduction,
  emulatorIsForDevelopment,
  sessionLifetimes,
  cookieIsAlwaysSecure,
  flagsReadLikeLibreChat,
  ...tokensStayInTheirCloud,
  usGovernmentNeedsItsGraph,
  hostMapIsForTheEmulator,
];
