import type { Config } from '@gatehouse/config';
import type { Logger } from 'pino';
import { EnvHttpProxyAgent } from 'undici';
import { signInScopes } from './auth/login';
import { createLoginTransactions, type LoginTransactions } from './auth/login-transaction';
import { createOidcClient, type IdTokenClaims, type OidcClient } from './auth/oidc';
import { createRoleCheck, type RoleCheck } from './auth/role-check';
import type { DatabaseHandle } from './db/connect';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { createKyselySessionStore } from './session/kysely-session-store';
import type { SessionStore } from './session/session-store';
import { createTokenCipher } from './session/token-cipher';
import { createTokenManager, type ResourceSpec, type TokenManager } from './session/token-manager';
import { createUserLookup, type UserLookup } from './users/user-lookup';

/** Time, injectable so tests can move it (token expiry, idle timeouts, JWKS caching). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Everything `createApp` needs. Long-lived, built once by `createAppDeps` (main.ts, tests). */
export interface AppDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  database: DatabaseHandle;
  store: SessionStore;
  oidc: OidcClient;
  graph: GraphClient;
  /** Microsoft Graph as a resource of the token manager (scopes from OPENID_GRAPH_SCOPES). */
  graphResource: ResourceSpec;
  tokens: TokenManager;
  transactions: LoginTransactions;
  roles: RoleCheck;
  /** User profiles by id, cached briefly (the session endpoint reads one per call). */
  users: UserLookup;
  /** Sign-in rate limit per client address (default 30 per minute). */
  signInRateLimit: { limit: number; windowMs: number };
  /** The built SPA to serve (production), when present. */
  spaRoot?: string;
}

export interface CreateAppDepsOptions {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
  /**
   * Outbound HTTP (the provider, Graph); tests pass the emulator's in-process fetch. Default:
   * `outboundFetch(config)`, i.e. through PROXY when it is set.
   */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Replaces the Kysely store (unit tests). */
  store?: SessionStore;
  signInRateLimit?: AppDeps['signInRateLimit'];
  spaRoot?: string;
  /** Passed to the OIDC client (tests shorten discovery retries). */
  discovery?: { attempts?: number; retryDelayMs?: number };
}

const GRAPH = 'https://graph.microsoft.com';

/** `User.Read` → `https://graph.microsoft.com/User.Read`: a refresh for Graph names its resource. */
export function graphResourceOf(config: Pick<Config, 'OPENID_GRAPH_SCOPES'>): ResourceSpec {
  const scopes = config.OPENID_GRAPH_SCOPES.length > 0 ? config.OPENID_GRAPH_SCOPES : ['User.Read'];
  return {
    resource: GRAPH,
    scope: scopes.map((scope) => (scope.includes('://') ? scope : `${GRAPH}/${scope}`)),
  };
}

/**
 * The fetch for every outbound call (discovery, JWKS, token, userinfo, Graph): through PROXY when it
 * is set, as LibreChat's OpenID client does, except for hosts in NO_PROXY (undici's rules: comma or
 * space separated, `host`, `host:port`, `.suffix`, `*`). The global fetch with undici's dispatcher,
 * so requests and responses stay the global `Request`/`Response` that openid-client and jose expect,
 * and nothing process-wide changes.
 */
export function outboundFetch(
  config: Pick<Config, 'PROXY' | 'NO_PROXY'>,
  base: typeof fetch = globalThis.fetch,
): typeof fetch {
  if (!config.PROXY) return base;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: config.PROXY,
    httpsProxy: config.PROXY,
    // Never undefined: undici would then read NO_PROXY from process.env behind the config's back.
    noProxy: config.NO_PROXY ?? '',
  });
  // `dispatcher` is undici's extension of RequestInit (Node's fetch is undici). Node 20 types it
  // with its bundled undici 6; the dispatch interface is the same, only the type names differ.
  const viaProxy = dispatcher as unknown as NonNullable<RequestInit['dispatcher']>;
  return ((input: string | URL | Request, init?: RequestInit) =>
    base(input, { ...init, dispatcher: viaProxy })) as typeof fetch;
}

/**
 * The operator's hint when a refresh returns no ID token while the required role is read from it:
 * once per session (the refresh repeats every access-token lifetime), for the last 10 000 sessions.
 */
function warnOncePerSession(log: Logger) {
  const warned = new Set<string>();
  return (sessionId: string, hasUserInfo: boolean) => {
    if (warned.has(sessionId)) return;
    warned.add(sessionId);
    if (warned.size > 10_000) warned.delete(warned.values().next().value as string);
    log.warn(
      { session: sessionId.slice(0, 8) },
      hasUserInfo
        ? 'The provider returned no ID token on refresh, so OPENID_REQUIRED_ROLE is re-checked in its userinfo response (same OPENID_REQUIRED_ROLE_PARAMETER_PATH); a user whose role is missing there loses the session. Have the provider return an ID token on refresh, or set OPENID_REQUIRED_ROLE_TOKEN_KIND to where the role really is.'
        : 'The provider returned no ID token on refresh and has no userinfo endpoint, so OPENID_REQUIRED_ROLE cannot be re-checked: the session ends and the user signs in again. Have the provider return an ID token on refresh, or use OPENID_REQUIRED_ROLE_TOKEN_KIND=access.',
    );
  };
}

/** Wires the long-lived dependencies from configuration. No I/O: nothing is fetched or opened here. */
export function createAppDeps(options: CreateAppDepsOptions): AppDeps {
  const { config, database, log } = options;
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? outboundFetch(config);
  const store =
    options.store ??
    createKyselySessionStore({
      database,
      cipher: createTokenCipher({
        secret: config.OPENID_SESSION_SECRET,
        previousSecrets: config.OPENID_SESSION_SECRET_PREVIOUS,
      }),
      log,
    });
  const oidc = createOidcClient({
    issuer: config.OPENID_ISSUER,
    clientId: config.OPENID_CLIENT_ID,
    clientSecret: config.OPENID_CLIENT_SECRET,
    redirectUri: config.redirectUri,
    clockToleranceSeconds: config.OPENID_CLOCK_TOLERANCE,
    fetch: fetchImpl,
    clock,
    log: log.child({ module: 'oidc' }),
    ...(options.discovery?.attempts === undefined ? {} : { discoveryAttempts: options.discovery.attempts }),
    ...(options.discovery?.retryDelayMs === undefined
      ? {}
      : { discoveryRetryDelayMs: options.discovery.retryDelayMs }),
  });
  const graph = createGraphClient({
    fetch: fetchImpl,
    log: log.child({ module: 'graph' }),
    baseUrl: config.GRAPH_BASE_URL,
  });
  const graphResource = graphResourceOf(config);
  const rolesFromIdToken =
    config.OPENID_REQUIRED_ROLE.length > 0 && config.OPENID_REQUIRED_ROLE_TOKEN_KIND === 'id';
  const staleIdTokenWarning = warnOncePerSession(log.child({ module: 'roles' }));
  const roles = createRoleCheck({ config, graph, log: log.child({ module: 'roles' }) });
  const tokens = createTokenManager({
    store,
    oidc,
    clock,
    log: log.child({ module: 'tokens' }),
    // offline_access is a property of the grant, not of one token: some providers (oidc-provider)
    // refuse it on refresh when the original request was not a consent prompt.
    sessionScope: signInScopes(config).filter((scope) => scope.toLowerCase() !== 'offline_access'),
    graph: graphResource,
    recheckRoles: async ({ session, tokens: refreshed, previousClaims, graphToken }) => {
      let claims = refreshed.claims ?? previousClaims;
      if (!claims) return { allowed: true, roles: session.roles };
      if (!refreshed.claims && rolesFromIdToken) {
        // The ID token's roles are as old as the sign-in: checking them again would never notice a
        // removed role. Ask the provider now (userinfo, same path), or end the session.
        const hasUserInfo = await oidc.hasUserInfo();
        staleIdTokenWarning(session.id, hasUserInfo);
        if (!hasUserInfo) return { allowed: false, unverifiable: true };
        const fresh = await oidc.userInfo(refreshed.accessToken, claims.sub);
        claims = { ...fresh, sub: claims.sub } as IdTokenClaims;
      }
      const checked = claims;
      const result = await roles({
        claims: checked,
        accessToken: refreshed.accessToken,
        userInfo: () => oidc.userInfo(refreshed.accessToken, checked.sub),
        graphToken,
      });
      return result.allowed ? result : { allowed: false, requiredRoles: result.requiredRoles };
    },
  });
  return {
    config,
    clock,
    log,
    database,
    store,
    oidc,
    graph,
    graphResource,
    tokens,
    transactions: createLoginTransactions({ secret: config.OPENID_SESSION_SECRET, clock }),
    roles,
    users: createUserLookup({ database }, { clock }),
    signInRateLimit: options.signInRateLimit ?? { limit: 30, windowMs: 60_000 },
    ...(options.spaRoot ? { spaRoot: options.spaRoot } : {}),
  };
}
