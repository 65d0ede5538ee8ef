/**
 * The one schema of Gatehouse's environment. Every key is an env variable with the name and meaning
 * it has in LibreChat's docs (or Gatehouse's own, documented in docs/configuration.md); each value
 * parses a trimmed string into its type. Rules that involve more than one variable are in rules.ts.
 */
import { z } from 'zod';
import { parseClientCertificate, parseClientPrivateKey } from './client-certificate';
import { cloudOfHost } from './clouds';
import { isGuid, scopeResource } from './entra';
import {
  bytes,
  commaList,
  flag,
  type Invalid,
  integer,
  invalid,
  milliseconds,
  oneOf,
  optionalHttpUrl,
  optionalText,
  origin,
  parseHttpUrl,
  parseOrigin,
  port,
  required,
  splitList,
  text,
  variable,
} from './fields';
import { show } from './issues';
import { isLoopbackHost, isSecureOrLoopback, redactUrlCredentials, tryParseUrl } from './urls';

export const DEFAULT_ORIGIN = 'http://localhost:3080';
export const DEFAULT_CALLBACK_PATH = '/oauth/openid/callback';
export const DEFAULT_SCOPE = ['openid', 'profile', 'email'] as const;
/** The Graph permissions the seed's docs list for people search, used when OPENID_GRAPH_SCOPES is unset. */
export const DEFAULT_GRAPH_SCOPES = [
  'User.Read',
  'People.Read',
  'GroupMember.Read.All',
  'User.ReadBasic.All',
] as const;
export const MIN_SECRET_LENGTH = 32;
export const roleTokenKinds = ['id', 'access', 'userinfo'] as const;
export type RoleTokenKind = (typeof roleTokenKinds)[number];
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const generateSecret = 'generate one with `openssl rand -base64 48`';

function sessionSecret(value: string | undefined): string | Invalid {
  if (value === undefined) {
    return invalid(
      'is not set',
      `${generateSecret}; it encrypts the tokens stored for each session and the sign-in transaction`,
    );
  }
  if (/^(any random string|your[\s_-].*|change[\s_-]?me.*|secret)$/i.test(value)) {
    return invalid('still holds the placeholder text from the docs', generateSecret);
  }
  if (value.length < MIN_SECRET_LENGTH) {
    return invalid(
      `is ${value.length} characters long; it must be at least ${MIN_SECRET_LENGTH}`,
      generateSecret,
    );
  }
  return value;
}

/** Former session secrets, still accepted to decrypt, so the secret can be rotated without signing everyone out. */
function previousSessionSecrets(value: string | undefined): string[] | Invalid {
  const secrets = splitList(value, /,/);
  const short = secrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
  if (short >= 0) {
    return invalid(
      `has an entry (number ${short + 1}) shorter than ${MIN_SECRET_LENGTH} characters`,
      'list only former values of OPENID_SESSION_SECRET, separated by commas',
    );
  }
  return secrets;
}

const entraIssuerExample = 'https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0';

function issuer(value: string | undefined): string | Invalid {
  if (value === undefined) {
    return invalid(
      'is not set',
      `set it to your provider's issuer URL; for Entra ${entraIssuerExample} (\`pnpm dev\` uses the local emulator when it is unset)`,
    );
  }
  if (/your directory|tenant id\)/i.test(value)) {
    return invalid(
      'still holds the placeholder text from the docs',
      `put your Directory (tenant) ID into ${entraIssuerExample}`,
    );
  }
  const url = tryParseUrl(value);
  if (!url || /\s/.test(value) || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return invalid(
      `is ${show(value)}, not an absolute https URL`,
      `write the issuer URL, e.g. ${entraIssuerExample}`,
    );
  }
  if (!isSecureOrLoopback(url)) {
    return invalid(
      `is ${show(value)}: plain http is only allowed for localhost`,
      'use the https issuer URL: Gatehouse fetches the signing keys from it, and over http anyone on the way could swap them',
    );
  }
  if (url.search || url.hash || url.username) {
    return invalid(
      `is ${show(value)}, which has a query, fragment or credentials`,
      'write the issuer exactly as the provider publishes it, without ?, # or user@',
    );
  }
  return value;
}

function callbackPath(value: string | undefined): string | Invalid {
  if (value === undefined) return DEFAULT_CALLBACK_PATH;
  if (tryParseUrl(value)) {
    return invalid(
      `is a full URL (${show(value)})`,
      `write only the path, e.g. ${DEFAULT_CALLBACK_PATH}: Gatehouse puts DOMAIN_SERVER in front of it`,
    );
  }
  if (!/^\/(?!\/)[^\s?#]*$/.test(value)) {
    return invalid(
      `is ${show(value)}, not a path starting with /`,
      `write a path such as ${DEFAULT_CALLBACK_PATH}`,
    );
  }
  return value;
}

/** RFC 6749 §3.3 scope-token characters. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function loginScope(value: string | undefined): string[] | Invalid {
  if (value === undefined) return [...DEFAULT_SCOPE];
  if (value.includes(',')) {
    return invalid(
      `is ${show(value)}: scopes are separated by commas`,
      'separate scopes with spaces, e.g. OPENID_SCOPE=openid profile email offline_access',
    );
  }
  const scopes = splitList(value, /\s+/);
  const bad = scopes.find((scope) => !scopeToken.test(scope));
  if (bad !== undefined) {
    return invalid(
      `contains ${show(bad)}, which is not a valid scope`,
      'remove quotes and backslashes from the scope list',
    );
  }
  if (!scopes.includes('openid')) {
    return invalid(
      `is ${show(value)}, which does not contain \`openid\``,
      'add openid: without it the provider returns no ID token, e.g. OPENID_SCOPE=openid profile email',
    );
  }
  return scopes;
}

/** Undefined when unset: the default depends on USE_ENTRA_ID_FOR_PEOPLE_SEARCH (see load.ts). */
function graphScopes(value: string | undefined): string[] | undefined | Invalid {
  if (value === undefined) return undefined;
  const scopes = splitList(value, /[\s,]+/);
  const bad = scopes.find((scope) => !scopeToken.test(scope));
  if (bad !== undefined)
    return invalid(`contains ${show(bad)}, which is not a valid scope`, 'remove quotes and backslashes');
  const foreign = scopes.find((scope) => {
    const resource = scopeResource(scope);
    return resource !== undefined && resource !== 'graph';
  });
  if (foreign !== undefined) {
    return invalid(
      `contains ${show(foreign)}, which is not a Microsoft Graph permission`,
      `list Graph permissions only, e.g. ${DEFAULT_GRAPH_SCOPES.join(',')}`,
    );
  }
  return scopes;
}

function roleTokenKind(value: string | undefined): RoleTokenKind | undefined | Invalid {
  if (value === undefined) return undefined;
  const kind = roleTokenKinds.find((candidate) => candidate === value.toLowerCase());
  return (
    kind ??
    invalid(
      `is ${show(value)}, not one of ${roleTokenKinds.join(', ')}`,
      'use id (the ID token, where Entra puts app roles and groups), access or userinfo',
    )
  );
}

/** Dot and bracket paths as lodash `get` reads them: `roles`, `realm_access.roles`, `resource_access['my-app'].roles`. */
export function isClaimPath(path: string): boolean {
  let rest = path;
  let first = true;
  while (rest.length > 0) {
    const bracket = /^\[(?:\d+|"[^"]+"|'[^']+'|[^\]"'\s]+)\]/.exec(rest);
    if (bracket) {
      rest = rest.slice(bracket[0].length);
      first = false;
      continue;
    }
    if (!first) {
      if (!rest.startsWith('.')) return false;
      rest = rest.slice(1);
    }
    const name = /^[^.[\]\s'"]+/.exec(rest);
    if (!name) return false;
    rest = rest.slice(name[0].length);
    first = false;
  }
  return !first;
}

function claimPath(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  return isClaimPath(value)
    ? value
    : invalid(
        `is ${show(value)}, not a claim path`,
        "write the claim's name, or a dot/bracket path into nested claims, e.g. roles, groups or realm_access.roles",
      );
}

function imageUrl(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  if (/^\/(?!\/)\S*$/.test(value)) return value;
  return parseHttpUrl(value, {
    example: 'https://example.com/logo.svg or /assets/logo.svg',
    why: 'the login page is served over https',
  });
}

function databaseUrl(value: string | undefined): DatabaseConfig | Invalid {
  if (value === undefined) return { kind: 'sqlite', path: './data/gatehouse.db' };
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(value);
  if (sqlite) {
    const path = sqlite[1]?.trim() ?? '';
    return path
      ? { kind: 'sqlite', path }
      : invalid('is `sqlite:` without a file path', 'write sqlite:<path>, e.g. sqlite:./data/gatehouse.db');
  }
  if (/^postgres(?:ql)?:\/\//i.test(value)) {
    return tryParseUrl(value)
      ? { kind: 'postgres', url: value }
      : invalid(
          `is ${show(redactUrlCredentials(value))}, not a valid PostgreSQL URL`,
          'write postgres://user:password@host:5432/database, with special characters in the password percent-encoded',
        );
  }
  return invalid(
    `is ${show(redactUrlCredentials(value))}, neither sqlite:<path> nor a postgres:// URL`,
    "leave it unset for SQLite at ./data/gatehouse.db, or write sqlite:<path> or postgres://user:password@host:5432/database (LibreChat's MONGO_URI is a different variable)",
  );
}

function proxyUrl(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  const url = tryParseUrl(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return invalid(
      `is ${show(redactUrlCredentials(value))}, not an http(s) proxy URL`,
      'write the proxy as http://host:port (or http://user:password@host:port)',
    );
  }
  return value;
}

const sharePointScopeExample = 'https://contoso.sharepoint.com/AllSites.Read';

function sharePointBaseUrl(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  if (/yourtenant/i.test(value)) {
    return invalid(
      'still holds the placeholder text from the docs',
      'write your tenant, e.g. https://contoso.sharepoint.com',
    );
  }
  const url = parseHttpUrl(value, {
    example: 'https://contoso.sharepoint.com',
    why: 'SharePoint Online is https only',
  });
  if (typeof url === 'string' && tryParseUrl(url)?.search) {
    return invalid(
      `is ${show(value)}, which has a query`,
      'write the site address only, e.g. https://contoso.sharepoint.com',
    );
  }
  return url;
}

function sharePointScope(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  if (/yourtenant/i.test(value)) {
    return invalid(
      'still holds the placeholder text from the docs',
      `write your tenant, e.g. ${sharePointScopeExample}`,
    );
  }
  if (/[\s,]/.test(value)) {
    return invalid(
      'lists more than one scope',
      `write exactly one SharePoint scope, e.g. ${sharePointScopeExample}`,
    );
  }
  const match = /^(https?:\/\/[^/]+)\/([^/]+)$/i.exec(value);
  const url = match?.[1] ? tryParseUrl(match[1]) : undefined;
  if (!url) {
    return invalid(
      `is ${show(value)}, not a SharePoint scope`,
      `write the SharePoint address and the permission, e.g. ${sharePointScopeExample} (a bare AllSites.Read would get a Microsoft Graph token, which the picker refuses)`,
    );
  }
  if (!isSecureOrLoopback(url)) {
    return invalid(
      `is ${show(value)}: plain http is only allowed for localhost`,
      `use https, e.g. ${sharePointScopeExample}`,
    );
  }
  return `${url.origin}/${match?.[2]}`;
}

function sharePointGraphScope(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  if (!scopeToken.test(value) || value.includes(',')) {
    return invalid(`is ${show(value)}, not one scope`, 'write one Graph permission, e.g. Files.Read.All');
  }
  return scopeResource(value) === 'graph'
    ? value
    : invalid(
        `is ${show(value)}, not a Microsoft Graph permission`,
        'write the Graph permission used to download picked files, e.g. Files.Read.All',
      );
}

/** Executables and scripts Windows runs on a double click: refused as attachments unless configured. */
export const DEFAULT_REFUSED_TYPES = [
  '.exe',
  '.dll',
  '.com',
  '.bat',
  '.cmd',
  '.msi',
  '.msp',
  '.scr',
  '.pif',
  '.cpl',
  '.hta',
  '.lnk',
  '.ps1',
  '.vbs',
  '.vbe',
  '.wsf',
  '.jse',
  '.reg',
] as const;

/** `.ext` or a MIME type, comma-separated; `none` refuses nothing. */
function refusedTypes(value: string | undefined): string[] | Invalid {
  if (value === undefined) return [...DEFAULT_REFUSED_TYPES];
  if (/^none$/i.test(value)) return [];
  const entries = splitList(value, /,/).map((entry) => entry.toLowerCase());
  const bad = entries.find(
    (entry) =>
      !/^\.[a-z0-9][a-z0-9_-]*$/.test(entry) && !/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/.test(entry),
  );
  if (bad !== undefined) {
    return invalid(
      `contains ${show(bad)}, neither a file extension (.exe) nor a MIME type (application/x-msdownload)`,
      'list extensions with their dot and MIME types, separated by commas, e.g. .exe,.msi,application/x-msdownload (or none)',
    );
  }
  return entries;
}

/**
 * OPENID_ALLOWED_TENANTS: the Entra organisations (tenant ids, the `tid` claim) whose people may sign
 * in through a multi-tenant issuer, lower-cased; `*` admits every organisation and must be written
 * alone. Unset is `undefined` (rules.ts makes that an error on a multi-tenant issuer).
 */
function allowedTenants(value: string | undefined): string[] | '*' | undefined | Invalid {
  const entries = splitList(value, /,/);
  if (entries.length === 0) return undefined;
  if (entries.includes('*')) {
    return entries.length === 1
      ? '*'
      : invalid(
          `mixes * with tenant ids (${show(value ?? '')})`,
          'write OPENID_ALLOWED_TENANTS=* alone to admit every organisation, or list only tenant ids',
        );
  }
  const wrong = entries.filter((entry) => !isGuid(entry));
  if (wrong.length > 0) {
    return invalid(
      `contains ${wrong.map(show).join(', ')}, which ${wrong.length === 1 ? 'is not a tenant id' : 'are not tenant ids'} (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)`,
      "write each organisation's Directory (tenant) ID: the Overview page of Microsoft Entra ID in the admin center shows it, and for a domain it is the GUID in the issuer of https://login.microsoftonline.com/<domain>/v2.0/.well-known/openid-configuration",
    );
  }
  return [...new Set(entries.map((entry) => entry.toLowerCase()))];
}

/** Undefined when unset: the default is the Graph of OPENID_ISSUER's cloud (see load.ts). */
function graphBaseUrl(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  return parseHttpUrl(value, {
    example: 'https://graph.microsoft.com/v1.0',
    why: 'Graph requests carry access tokens',
  });
}

/**
 * LibreChat's TRUST_PROXY (express's "trust proxy" as a hop count): how many reverse proxies in front
 * of the BFF append to X-Forwarded-For and are trusted, so the sign-in rate limit keys on the real
 * client. Only a count: `true` would trust every hop, i.e. whatever address a client writes.
 */
function trustProxy(value: string | undefined): number | Invalid {
  if (value === undefined) return 0;
  const fix =
    'write how many reverse proxies sit in front of the BFF: 0 when clients connect to it directly, 1 behind one load balancer or ingress';
  if (/^(true|false|yes|no|on|off)$/i.test(value)) {
    return invalid(`is ${show(value)}, not a number of proxies`, fix);
  }
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number > 10) {
    return invalid(`is ${show(value)}, not a whole number of proxies from 0 to 10`, fix);
  }
  return number;
}

/**
 * EMULATOR_HOST_MAP: `host=origin` pairs, comma-separated, e.g.
 * `login.microsoftonline.us=http://localhost:3090,graph.microsoft.us=http://localhost:3090`. With
 * the emulator (never in production, rules.ts) the BFF sends requests for these Microsoft hosts to
 * the emulator's ports, so a national-cloud configuration can be tried offline.
 */
function emulatorHostMap(value: string | undefined): Record<string, string> | Invalid {
  if (value === undefined) return {};
  const example = 'login.microsoftonline.us=http://localhost:3090,graph.microsoft.us=http://localhost:3090';
  const map: Record<string, string> = {};
  for (const entry of splitList(value, /,/)) {
    const [host = '', target = '', ...rest] = entry.split('=').map((part) => part.trim());
    const url = tryParseUrl(target);
    if (!host || !url || rest.length > 0) {
      return invalid(`has the entry ${show(entry)}, not host=origin`, `write pairs such as ${example}`);
    }
    if (!cloudOfHost(host)) {
      return invalid(
        `maps ${show(host)}, which is not a sign-in, Microsoft Graph or SharePoint Online host of a Microsoft cloud`,
        `map only Microsoft's hosts to the emulator, e.g. ${example}`,
      );
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      !isLoopbackHost(url.hostname) ||
      url.pathname !== '/' ||
      url.search ||
      url.username
    ) {
      return invalid(
        `maps ${host} to ${show(target)}, which is not an origin on this machine`,
        "map to the emulator's origin, e.g. http://localhost:3090 (its SharePoint site: http://127.0.0.1:3091)",
      );
    }
    map[host.toLowerCase()] = url.origin;
  }
  return map;
}

/** A titled group of variables: the title is written once, here. */
function group<const Shape extends z.ZodRawShape>(title: string, shape: Shape) {
  return { title, shape };
}

/**
 * The variables by group, in the order of .env.example: each group's title heads its section there,
 * in docs/configuration.md and in the doctor's table.
 */
const whereGatehouseRuns = group('Where Gatehouse runs', {
  DOMAIN_SERVER: origin({ default: DEFAULT_ORIGIN, example: 'https://chat.contoso.com' }),
  /** Undefined when unset: defaults to DOMAIN_SERVER (see load.ts). */
  DOMAIN_CLIENT: variable((value) =>
    value === undefined ? undefined : parseOrigin(value, 'https://chat.contoso.com'),
  ),
  HOST: text('localhost'),
  PORT: port(3080),
  TRUST_PROXY: variable(trustProxy),
  NODE_ENV: text('development'),
  LOG_LEVEL: oneOf(logLevels, 'info'),
});

const signIn = group('Sign-in with OpenID Connect', {
  ALLOW_SOCIAL_LOGIN: flag(),
  OPENID_CLIENT_ID: required({
    missing:
      "copy the Application (client) ID from the app registration's Overview page in Entra (or your provider's client id)",
    placeholder: /^your\b|application \(client\) id/i,
  }),
  /** Undefined when unset: a certificate may stand in for it (the rule "one client credential"). */
  OPENID_CLIENT_SECRET: variable((value) =>
    value === undefined
      ? undefined
      : /^your client secret$/i.test(value)
        ? invalid(
            'still holds the placeholder text from the docs',
            'paste the Value of a client secret from Certificates & secrets',
          )
        : value,
  ),
  OPENID_CLIENT_CERTIFICATE: variable((value) => parseClientCertificate(value)),
  OPENID_CLIENT_PRIVATE_KEY: variable(parseClientPrivateKey),
  OPENID_ISSUER: variable(issuer),
  OPENID_ALLOWED_TENANTS: variable(allowedTenants),
  OPENID_SESSION_SECRET: variable(sessionSecret),
  OPENID_SESSION_SECRET_PREVIOUS: variable(previousSessionSecrets),
  OPENID_SCOPE: variable(loginScope),
  OPENID_CALLBACK_URL: variable(callbackPath),
  OPENID_AUDIENCE: commaList(),
  OPENID_CLOCK_TOLERANCE: integer({ default: 60, min: 0, max: 600, unit: 'seconds' }),
  OPENID_USERNAME_CLAIM: optionalText(),
  OPENID_NAME_CLAIM: optionalText(),
  OPENID_EMAIL_CLAIM: optionalText(),
});

const loginPage = group('The login page', {
  OPENID_BUTTON_LABEL: text('Continue with OpenID'),
  OPENID_IMAGE_URL: variable(imageUrl),
  OPENID_AUTO_REDIRECT: flag(),
});

const requiredRole = group('Required role', {
  OPENID_REQUIRED_ROLE: commaList(),
  OPENID_REQUIRED_ROLE_TOKEN_KIND: variable(roleTokenKind),
  OPENID_REQUIRED_ROLE_PARAMETER_PATH: variable(claimPath),
});

const logout = group('Logout', {
  OPENID_USE_END_SESSION_ENDPOINT: flag(),
  /** Undefined when unset: defaults to `${DOMAIN_CLIENT}/login` (see load.ts). */
  OPENID_POST_LOGOUT_REDIRECT_URI: optionalHttpUrl({
    example: 'https://chat.contoso.com/login',
    why: 'it must be registered as a redirect URI of the app',
  }),
  OPENID_MAX_LOGOUT_URL_LENGTH: integer({ default: 2000, min: 100, max: 65536, unit: 'characters' }),
});

const sessions = group('Sessions and token reuse', {
  OPENID_REUSE_TOKENS: flag(),
  SESSION_EXPIRY: milliseconds(1000 * 60 * 15),
  REFRESH_TOKEN_EXPIRY: milliseconds(1000 * 60 * 60 * 24 * 7),
  /** LibreChat's override of its secure-cookie guess; unset → undefined. */
  SESSION_COOKIE_SECURE: variable((value) =>
    value === undefined ? undefined : value.toLowerCase() === 'true',
  ),
});

const peopleSearch = group('People search with Microsoft Graph', {
  USE_ENTRA_ID_FOR_PEOPLE_SEARCH: flag(),
  ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: flag(),
  OPENID_GRAPH_SCOPES: variable(graphScopes),
  GRAPH_BASE_URL: variable(graphBaseUrl),
});

const sharePointPicker = group('SharePoint file picker', {
  ENABLE_SHAREPOINT_FILEPICKER: flag(),
  SHAREPOINT_BASE_URL: variable(sharePointBaseUrl),
  SHAREPOINT_PICKER_SHAREPOINT_SCOPE: variable(sharePointScope),
  SHAREPOINT_PICKER_GRAPH_SCOPE: variable(sharePointGraphScope),
});

const storage = group('Storage', {
  DATABASE_URL: variable(databaseUrl),
  ATTACHMENTS_DIR: text('./data/attachments'),
  ATTACHMENT_MAX_BYTES: bytes(512 * 1024 * 1024),
  ATTACHMENT_REFUSED_TYPES: variable(refusedTypes),
});

const outboundNetwork = group('Outbound network', {
  PROXY: variable(proxyUrl),
  /** Hosts reached without PROXY; `no_proxy` (lower case) is read when this is unset (see load.ts). */
  NO_PROXY: optionalText(),
});

const emulator = group('Local Entra emulator', {
  GATEHOUSE_EMULATOR: flag(),
  EMULATOR_PORT: port(3090),
  EMULATOR_SHAREPOINT_PORT: port(3091),
  EMULATOR_HOST_MAP: variable(emulatorHostMap),
});

const groups = [
  whereGatehouseRuns,
  signIn,
  loginPage,
  requiredRole,
  logout,
  sessions,
  peopleSearch,
  sharePointPicker,
  storage,
  outboundNetwork,
  emulator,
] as const;

/** Every variable Gatehouse reads, in the order of .env.example. */
export const envSchema = z.object({
  ...whereGatehouseRuns.shape,
  ...signIn.shape,
  ...loginPage.shape,
  ...requiredRole.shape,
  ...logout.shape,
  ...sessions.shape,
  ...peopleSearch.shape,
  ...sharePointPicker.shape,
  ...storage.shape,
  ...outboundNetwork.shape,
  ...emulator.shape,
});

export type EnvVariable = keyof typeof envSchema.shape;
export type ParsedEnv = z.output<typeof envSchema>;

export const envVariables = Object.keys(envSchema.shape) as EnvVariable[];

/** Values never shown anywhere, not even their length in messages about other variables. */
export const secretVariables: readonly EnvVariable[] = [
  'OPENID_CLIENT_SECRET',
  'OPENID_CLIENT_PRIVATE_KEY',
  'OPENID_SESSION_SECRET',
  'OPENID_SESSION_SECRET_PREVIOUS',
];

/** Values that may carry a password inside a URL: shown with the password masked. */
export const credentialUrlVariables: readonly EnvVariable[] = ['DATABASE_URL', 'PROXY'];

/** Read LibreChat's way: only `true` (any case) is on. */
export const flagVariables: readonly EnvVariable[] = [
  'ALLOW_SOCIAL_LOGIN',
  'OPENID_AUTO_REDIRECT',
  'OPENID_USE_END_SESSION_ENDPOINT',
  'OPENID_REUSE_TOKENS',
  'SESSION_COOKIE_SECURE',
  'USE_ENTRA_ID_FOR_PEOPLE_SEARCH',
  'ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS',
  'ENABLE_SHAREPOINT_FILEPICKER',
  'GATEHOUSE_EMULATOR',
];

/** The groups of .env.example, docs/configuration.md and the doctor's table. */
export const variableGroups: readonly { title: string; variables: readonly EnvVariable[] }[] = groups.map(
  ({ title, shape }) => ({ title, variables: Object.keys(shape) as EnvVariable[] }),
);

/** The parsed values once the defaults that depend on other variables are applied (load.ts). */
export type ResolvedEnv = Omit<
  ParsedEnv,
  'DOMAIN_CLIENT' | 'OPENID_POST_LOGOUT_REDIRECT_URI' | 'OPENID_GRAPH_SCOPES' | 'GRAPH_BASE_URL'
> & {
  DOMAIN_CLIENT: string;
  OPENID_POST_LOGOUT_REDIRECT_URI: string;
  OPENID_GRAPH_SCOPES: string[];
  GRAPH_BASE_URL: string;
};
