/**
 * Gives requests an access token, refreshing it from the session's refresh token when it has less
 * than half its lifetime or 5 minutes left, whichever comes later (`token-freshness.ts`). The
 * outcome is one of a closed set of values, never null and never an exception for an expected
 * failure (Duende's `AccessTokenResult`). A failed refresh starts a back-off (`refresh-backoff.ts`)
 * during which callers get 503 with `Retry-After` without the provider being asked again — unless
 * the token they hold was only due, not expired: it serves until it expires.
 *
 * Single flight: concurrent callers in this process share one pending refresh per session and
 * resource; across processes `store.withRefreshLock` serialises them, and the holder re-reads the
 * session first: a token that changed since the caller read the session was refreshed by another
 * request or BFF instance, and is used while it works, whatever its lifetime — never redeemed again. Every refresh of the session's own token also re-checks the
 * role policy with the fresh claims: a user who lost the role loses the session.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { OidcClient } from '../auth/oidc';
import { createSingleFlight } from '../cache/single-flight';
import type { Clock } from '../clock';
import { createRefreshBackoffs, type RefreshBackoffOptions } from './refresh-backoff';
import { createRefreshFailureHandler } from './refresh-failure';
import { createResourceRefresh } from './resource-refresh';
import type { RoleRecheck, RoleRecheckInput } from './role-recheck';
import { createSessionRefresh } from './session-refresh';
import type { SessionRecord, SessionStore } from './session-store';
import { createTokenFreshness, type TokenFreshnessOptions } from './token-freshness';
import { backingOff, type ResourceSpec, reauthenticate, type TokenResult, tokenKeyOf } from './token-result';

// The token manager's public surface, whichever file each part lives in.
export { grantsAll } from './resource-token';
export type { RoleRecheck, RoleRecheckInput } from './role-recheck';
export { needsSignIn, tokenFailure } from './token-failure';
export type { ReauthenticateReason, ResourceSpec, TokenResult } from './token-result';

export interface TokenManagerDeps {
  store: SessionStore;
  oidc: Pick<OidcClient, 'refresh'>;
  clock: Clock;
  log: Logger;
  /** Scopes of the session's own token (the login scopes). */
  sessionScope: readonly string[];
  /** The Graph resource, for role re-checks that need a Graph call (groups overage). */
  graph: ResourceSpec;
  /** Evaluates the role policy with refreshed claims. */
  recheckRoles(input: RoleRecheckInput): Promise<RoleRecheck>;
  /**
   * Runs after this process refreshed the session's own token, outside the refresh lock and before
   * the request goes on (sharing re-resolves Entra group membership here). Its errors are logged.
   */
  afterRefresh?(session: SessionRecord): Promise<void>;
}

export interface TokenManagerOptions extends TokenFreshnessOptions {
  /** After a failed refresh, how long the session waits before the provider is asked again. */
  backoff?: RefreshBackoffOptions;
}

export interface TokenManager {
  /** The session's own access token (from the login scopes), refreshed and role-checked when due. */
  sessionToken(session: SessionRecord): Promise<TokenResult>;
  /**
   * Whether `sessionToken` would call the provider now: the session has a refresh token and its
   * access token is due (less than its refresh margin left). Cheap on the hot path: the answer is kept
   * per session `version`, so the encrypted tokens are decrypted only after a write.
   */
  isDue(session: SessionRecord): boolean;
  /** A token for another resource, minted from the same refresh token and cached per session. */
  resourceToken(session: SessionRecord, spec: ResourceSpec): Promise<TokenResult>;
}

/**
 * The token manager: answers from the session when its tokens are fresh, else runs one refresh per
 * session and resource in this process (`createSingleFlight`), the refresh itself being
 * `session-refresh.ts` (own token, role re-check in `role-recheck.ts`) or `resource-refresh.ts`,
 * and failures becoming values in `refresh-failure.ts`.
 */
export function createTokenManager(deps: TokenManagerDeps, options: TokenManagerOptions = {}): TokenManager {
  const { clock } = deps;
  const freshness = createTokenFreshness(clock, options);
  const { isFresh, isUnexpired } = freshness;

  /**
   * No refresh token: a token the session holds for the resource serves until it expires. Once it
   * has, or once the sign-in's own token has, every route that needs one answers the same thing —
   * sign in again (`token_expired`); a resource never granted at sign-in is `no_refresh_token`.
   */
  function withoutRefreshToken(session: SessionRecord, spec: ResourceSpec): TokenResult {
    const cached = session.resourceTokens[tokenKeyOf(spec)];
    if (cached && isUnexpired(cached.expiresAt)) {
      return { kind: 'token', accessToken: cached.accessToken, expiresAt: cached.expiresAt, session };
    }
    return cached || !isUnexpired(session.tokens.accessTokenExpiresAt)
      ? reauthenticate('token_expired', { resource: spec.resource })
      : reauthenticate('no_refresh_token', { resource: spec.resource });
  }
  const flights = createSingleFlight<string, TokenResult>();
  // What `isDue` needs (no secret: an expiry time and a flag), per session version.
  const summaries = new LRUCache<
    string,
    { version: number; expiresAt: number | undefined; issuedAt: number | undefined; refreshable: boolean }
  >({ max: 10_000 });

  function summary(session: SessionRecord) {
    const known = summaries.get(session.id);
    if (known && known.version === session.version) return known;
    const { accessToken, accessTokenExpiresAt, accessTokenIssuedAt, refreshToken } = session.tokens;
    const fresh = {
      version: session.version,
      expiresAt: accessToken ? accessTokenExpiresAt : undefined,
      issuedAt: accessTokenIssuedAt,
      refreshable: refreshToken !== undefined,
    };
    summaries.set(session.id, fresh);
    return fresh;
  }

  const backoffs = createRefreshBackoffs(deps, options.backoff);
  const onFailure = createRefreshFailureHandler({ ...deps, backoffs });
  const refreshSession = createSessionRefresh({ ...deps, freshness, backoffs, onFailure });
  const refreshResource = createResourceRefresh({ ...deps, freshness, backoffs, onFailure });
  /** A refresh failed a moment ago: answer at once, as every caller until the back-off ends. */
  const waiting = (id: string): TokenResult | undefined => {
    const backoff = backoffs.pending(id);
    return backoff && backingOff(backoff, clock);
  };
  /**
   * A provider outage while the token held is only due, not expired: the token still works, so it
   * serves until it expires (the back-off still spares the provider). Every other failure stands.
   */
  const orStillValid = (
    result: TokenResult,
    held: { accessToken: string; expiresAt: number } | undefined,
    session: SessionRecord,
  ): TokenResult =>
    result.kind === 'failed' && result.code === 'provider_unavailable' && held && isUnexpired(held.expiresAt)
      ? { kind: 'token', accessToken: held.accessToken, expiresAt: held.expiresAt, session }
      : result;

  return {
    isDue(session) {
      const known = summary(session);
      return known.refreshable && !isFresh(known);
    },

    sessionToken(session) {
      const { accessToken, accessTokenExpiresAt, accessTokenIssuedAt } = session.tokens;
      if (accessToken && isFresh({ expiresAt: accessTokenExpiresAt, issuedAt: accessTokenIssuedAt })) {
        return Promise.resolve({ kind: 'token', accessToken, expiresAt: accessTokenExpiresAt!, session });
      }
      if (!session.tokens.refreshToken) {
        // No refresh token (token reuse off, or none granted): the login token serves until it
        // expires, then only a new sign-in gives one.
        return Promise.resolve(
          accessToken && isUnexpired(accessTokenExpiresAt)
            ? { kind: 'token', accessToken, expiresAt: accessTokenExpiresAt!, session }
            : reauthenticate('token_expired'),
        );
      }
      const held = accessToken ? { accessToken, expiresAt: accessTokenExpiresAt! } : undefined;
      const wait = waiting(session.id);
      if (wait) return Promise.resolve(orStillValid(wait, held, session));
      return flights
        .run(`${session.id}\n`, () => refreshSession(session))
        .then((result) => orStillValid(result, held, session));
    },

    resourceToken(session, spec) {
      const cached = session.resourceTokens[tokenKeyOf(spec)];
      if (cached && isFresh(cached)) {
        return Promise.resolve({
          kind: 'token',
          accessToken: cached.accessToken,
          expiresAt: cached.expiresAt,
          session,
        });
      }
      if (!session.tokens.refreshToken) return Promise.resolve(withoutRefreshToken(session, spec));
      const wait = waiting(session.id);
      if (wait) return Promise.resolve(orStillValid(wait, cached, session));
      return flights
        .run(`${session.id}\n${tokenKeyOf(spec)}`, () => refreshResource(session, spec))
        .then((result) => orStillValid(result, cached, session));
    },
  };
}
