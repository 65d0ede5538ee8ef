/**
 * `loadConfig(env)` and `checkConfig(env)`: pure functions of an env object. Nothing here reads
 * `process.env`; the composition root (apps/bff/src/main.ts) or the doctor passes it in.
 */

import { type CloudChoice, chooseCloud, graphBaseUrlOf, graphResourceOf } from './clouds';
import { requiredGroupNames } from './entra';
import { ConfigError, type ConfigIssue, error, show, warning } from './issues';
import { checkUnknownVariables } from './known-variables';
import { applyRules } from './rules';
import {
  DEFAULT_GRAPH_SCOPES,
  type EnvVariable,
  envSchema,
  envVariables,
  type ParsedEnv,
  type ResolvedEnv,
  secretVariables,
} from './schema';

export type Env = Readonly<Record<string, string | undefined>>;

/** Values computed from several variables, so every consumer computes them the same way. */
export interface DerivedConfig {
  /** DOMAIN_SERVER + OPENID_CALLBACK_URL: the redirect URI to register with the provider. */
  redirectUri: string;
  /**
   * The scopes of the sign-in request: OPENID_SCOPE, `offline_access` when OPENID_REUSE_TOKENS needs a
   * refresh token and OPENID_SCOPE lacks it, then OPENID_GRAPH_SCOPES; without case-insensitive duplicates.
   */
  loginScopes: string[];
  isProduction: boolean;
  /**
   * OPENID_REQUIRED_ROLE values that name Entra groups by display name (not a GUID, read from the
   * `groups` claim of Entra or the emulator): the BFF resolves them to object ids at start.
   */
  requiredGroupNames: string[];
  /**
   * The Microsoft cloud whose hosts receive the tokens (clouds.ts): OPENID_ISSUER's, told apart by
   * GRAPH_BASE_URL or SHAREPOINT_BASE_URL where the issuer's host is shared; the global cloud for
   * other providers. GRAPH_BASE_URL defaults to its Graph.
   */
  cloud: CloudChoice;
  /** `https://graph.microsoft.us`: the resource of Graph scopes in that cloud (`…/User.Read`). */
  graphResource: string;
}

type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** The validated configuration: env variable names as keys with typed values, plus `DerivedConfig`. Deeply frozen. */
export type Config = Frozen<ResolvedEnv & DerivedConfig>;

export interface CheckResult {
  /** Present when there is no error (warnings allowed). */
  config?: Config;
  /** Every error and warning, in the order of the variables in .env.example. */
  issues: ConfigIssue[];
}

export interface LoadConfigOptions {
  /** Called once per warning, e.g. to log it; warnings never stop start-up. */
  onWarning?: (issue: ConfigIssue) => void;
}

/** Validates `env` and returns the frozen Config, or throws a ConfigError listing every error. */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Config {
  const { config, issues } = checkConfig(env);
  if (!config) throw new ConfigError(issues);
  for (const issue of issues) options.onWarning?.(issue);
  return config;
}

/** Validates `env` without throwing: every error and warning at once. */
export function checkConfig(env: Env): CheckResult {
  const issues: ConfigIssue[] = [];
  const failed = new Set<EnvVariable>();
  const raw: Partial<Record<EnvVariable, string>> = {};
  const parsed: Record<string, unknown> = {};

  for (const name of envVariables) {
    const normalised = normalise(name, rawValue(env, name));
    issues.push(...normalised.issues);
    if (normalised.issues.some((issue) => issue.severity === 'error')) {
      failed.add(name);
      continue;
    }
    if (normalised.value !== undefined) raw[name] = normalised.value;
    const result = envSchema.shape[name].safeParse(normalised.value);
    if (result.success) {
      parsed[name] = result.data;
      continue;
    }
    failed.add(name);
    for (const zodIssue of result.error.issues) {
      const fix = 'params' in zodIssue ? zodIssue.params?.fix : undefined;
      issues.push(error(name, zodIssue.message, typeof fix === 'string' ? fix : 'see docs/configuration.md'));
    }
  }

  const cloud = cloudOf(parsed as ParsedEnv);
  const resolved = resolveDefaults(parsed as ParsedEnv, failed, cloud);
  issues.push(...applyRules({ env: resolved, raw, cloud }, failed));
  issues.push(...checkUnknownVariables(Object.keys(env)));

  const safe = sortByVariable(redact(issues, secretValues(env)));
  if (safe.some((issue) => issue.severity === 'error')) return { issues: safe };
  return { config: deepFreeze({ ...resolved, ...derive(resolved, cloud) }) as Config, issues: safe };
}

/** The cloud of the variables as set (before GRAPH_BASE_URL's default, which follows from it). */
function cloudOf(parsed: Partial<ParsedEnv>): CloudChoice {
  return chooseCloud({
    issuer: parsed.OPENID_ISSUER,
    graphBaseUrl: parsed.GRAPH_BASE_URL,
    sharePointBaseUrl: parsed.SHAREPOINT_BASE_URL,
    graphScopes: parsed.OPENID_GRAPH_SCOPES,
  });
}

/** One variable parsed on its own (for the doctor); undefined when it is invalid or has no value. */
export function readVariable<K extends EnvVariable>(env: Env, name: K): ParsedEnv[K] | undefined {
  const normalised = normalise(name, rawValue(env, name));
  if (normalised.issues.some((issue) => issue.severity === 'error')) return undefined;
  const result = envSchema.shape[name].safeParse(normalised.value);
  return result.success ? (result.data as ParsedEnv[K]) : undefined;
}

/** Lower-case spellings that tools (curl, undici, LibreChat's proxy helper) read as well. */
const lowerCaseAliases: Partial<Record<EnvVariable, string>> = { NO_PROXY: 'no_proxy' };

function rawValue(env: Env, name: EnvVariable): string | undefined {
  const alias = lowerCaseAliases[name];
  return env[name] ?? (alias === undefined ? undefined : env[alias]);
}

/**
 * Trims, drops one pair of surrounding quotes (Docker's --env-file keeps them) and treats an empty
 * value as unset, as LibreChat does. Reports the `NAME==value` typo and comments that were passed on
 * as part of a value.
 */
function normalise(name: EnvVariable, input: string | undefined): { value?: string; issues: ConfigIssue[] } {
  if (input === undefined) return { issues: [] };
  const secret = secretVariables.includes(name);
  const issues: ConfigIssue[] = [];
  let value = input.trim();
  const quoted = /^(["'])([\s\S]*)\1$/.exec(value);
  if (quoted) {
    value = (quoted[2] ?? '').trim();
  } else if (!secret) {
    const comment = /\s+#.*$/.exec(value);
    if (comment) {
      value = value.slice(0, comment.index);
      issues.push(
        warning(
          name,
          `ends with the comment ${show(comment[0].trim())}, which was passed on as part of the value (Gatehouse ignored it)`,
          "move the comment to a line of its own: unlike dotenv, Docker's --env-file and most process managers keep it",
        ),
      );
    }
  }
  if (value === '') return { issues };
  if (value.startsWith('=')) {
    if (secret) {
      issues.push(
        warning(
          name,
          'starts with "=": the line may read NAME==value',
          'check that the first "=" belongs to the secret',
        ),
      );
    } else {
      issues.push(
        error(
          name,
          `starts with "=" (${show(value)}): the line reads ${name}==…, a typo once found in LibreChat's .env.example`,
          `remove the extra "=": ${name}=${value.replace(/^=+/, '')}`,
        ),
      );
    }
  }
  return { value, issues };
}

/** Defaults that depend on other variables. A default taken from a variable that failed fails too. */
function resolveDefaults(parsed: ParsedEnv, failed: Set<EnvVariable>, cloud: CloudChoice): ResolvedEnv {
  const domainClient =
    parsed.DOMAIN_CLIENT ?? (failed.has('DOMAIN_SERVER') ? undefined : parsed.DOMAIN_SERVER);
  if (domainClient === undefined) failed.add('DOMAIN_CLIENT');
  const postLogout =
    parsed.OPENID_POST_LOGOUT_REDIRECT_URI ??
    (domainClient === undefined ? undefined : `${domainClient}/login`);
  if (postLogout === undefined) failed.add('OPENID_POST_LOGOUT_REDIRECT_URI');
  const graphScopes =
    parsed.OPENID_GRAPH_SCOPES ?? (parsed.USE_ENTRA_ID_FOR_PEOPLE_SEARCH ? [...DEFAULT_GRAPH_SCOPES] : []);
  return {
    ...parsed,
    DOMAIN_CLIENT: domainClient ?? '',
    OPENID_POST_LOGOUT_REDIRECT_URI: postLogout ?? '',
    OPENID_GRAPH_SCOPES: graphScopes,
    GRAPH_BASE_URL: parsed.GRAPH_BASE_URL ?? graphBaseUrlOf(cloud.cloud),
  };
}

function derive(env: ResolvedEnv, cloud: CloudChoice): DerivedConfig {
  const seen = new Set<string>();
  const refresh = env.OPENID_REUSE_TOKENS ? ['offline_access'] : [];
  const loginScopes = [...env.OPENID_SCOPE, ...refresh, ...env.OPENID_GRAPH_SCOPES].filter((scope) => {
    const key = scope.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    redirectUri: `${env.DOMAIN_SERVER}${env.OPENID_CALLBACK_URL}`,
    loginScopes,
    isProduction: env.NODE_ENV === 'production',
    requiredGroupNames: requiredGroupNames({
      issuer: env.OPENID_ISSUER,
      emulator: env.GATEHOUSE_EMULATOR,
      path: env.OPENID_REQUIRED_ROLE_PARAMETER_PATH,
      required: env.OPENID_REQUIRED_ROLE,
    }),
    cloud,
    graphResource: graphResourceOf(cloud.cloud),
  };
}

/** Every secret value in `env`, and the passwords inside URL-valued variables. */
function secretValues(env: Env): string[] {
  const values: string[] = [];
  for (const name of secretVariables) {
    const value = env[name];
    // A private key given as a path is not secret (the file is); hiding the path would hide the fix.
    if (name === 'OPENID_CLIENT_PRIVATE_KEY' && value && !value.includes('-----BEGIN')) continue;
    if (value) values.push(value, value.trim(), ...value.split(',').map((part) => part.trim()));
  }
  for (const value of [env.DATABASE_URL, env.PROXY]) {
    const password = value && /\/\/[^/@\s:]*:(\S*)@/.exec(value)?.[1];
    if (password) values.push(password, safeDecode(password));
  }
  // Short fragments would blank out ordinary words; a secret that short is reported as too short anyway.
  return [...new Set(values)].filter((value) => value.length >= 6).sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Belt and braces: messages are written never to quote secrets, and this removes any that slip in. */
function redact(issues: ConfigIssue[], secrets: string[]): ConfigIssue[] {
  if (secrets.length === 0) return issues;
  const scrub = (text: string) =>
    secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
  return issues.map((issue) => ({ ...issue, problem: scrub(issue.problem), fix: scrub(issue.fix) }));
}

function sortByVariable(issues: ConfigIssue[]): ConfigIssue[] {
  const order = (variable: string) => {
    const index = envVariables.indexOf(variable as EnvVariable);
    return index === -1 ? envVariables.length : index;
  };
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => order(a.issue.variable) - order(b.issue.variable) || a.index - b.index)
    .map(({ issue }) => issue);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
