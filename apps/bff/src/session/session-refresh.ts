import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { IdTokenClaims, OidcClient, TokenSet } from '../auth/oidc';
import type { Clock } from '../clock';
import type { RefreshBackoffs } from './refresh-backoff';
import type { RefreshFailureHandler } from './refresh-failure';
import { grantsAll, toResourceToken } from './resource-token';
import { type RoleRecheck, type RoleRecheckInput, recheckRolesAtRefresh } from './role-recheck';
import type { SessionRecord, SessionStore } from './session-store';
import type { TokenFreshness } from './token-freshness';
import { backingOff, type ResourceSpec, reauthenticate, type TokenResult } from './token-result';

export interface SessionRefreshDeps {
  store: SessionStore;
  oidc: Pick<OidcClient, 'refresh'>;
  clock: Clock;
  log: Logger;
  sessionScope: readonly string[];
  graph: ResourceSpec;
  recheckRoles(input: RoleRecheckInput): Promise<RoleRecheck>;
  afterRefresh?(session: SessionRecord): Promise<void>;
  /** Whether a stored token still serves (more than its refresh margin left). */
  freshness: TokenFreshness;
  /** A recent failed refresh (this or another instance) makes callers wait instead of retrying. */
  backoffs: Pick<RefreshBackoffs, 'current' | 'succeeded'>;
  onFailure: RefreshFailureHandler;
}

/**
 * Refreshes the session's own token under the refresh lock: re-reads the session (another request
 * or BFF instance may have refreshed meanwhile), redeems the refresh token, checks the new ID token
 * names the same user, re-checks the role policy, stores the new tokens, then runs `afterRefresh`
 * outside the lock.
 */
export function createSessionRefresh(
  deps: SessionRefreshDeps,
): (seen: SessionRecord) => Promise<TokenResult> {
  const { store, oidc, clock, log, onFailure } = deps;
  const { isFresh, isUnexpired } = deps.freshness;

  return async function refreshSession(seen) {
    const id = seen.id;
    let refreshed: SessionRecord | undefined;
    const result = await store.withRefreshLock(id, async (): Promise<TokenResult> => {
      const current = await store.get(id);
      if (!current) return reauthenticate('session_ended');
      const stored = current.tokens;
      // Another request (or BFF instance) refreshed since the caller read the session: use its token
      // if it still works, even if it is already due (a short lifetime, a slow lock hand-over) —
      // "due" would redeem the refresh token a second time. Not a version check: other writes
      // (the idle timeout sliding) bump the version too.
      const refreshedMeanwhile =
        stored.accessToken !== seen.tokens.accessToken && isUnexpired(stored.accessTokenExpiresAt);
      if (
        stored.accessToken &&
        (refreshedMeanwhile ||
          isFresh({ expiresAt: stored.accessTokenExpiresAt, issuedAt: stored.accessTokenIssuedAt }))
      ) {
        return {
          kind: 'token',
          accessToken: stored.accessToken,
          expiresAt: stored.accessTokenExpiresAt!,
          session: current,
        };
      }
      const refreshToken = stored.refreshToken;
      if (!refreshToken) return reauthenticate('no_refresh_token');
      const backoff = await deps.backoffs.current(id);
      if (backoff) return backingOff(backoff, clock);

      let tokens: TokenSet;
      try {
        // The session's token doubles as Graph's when its scopes are Graph's: then it asks for CAE too.
        const graphClaims = grantsAll(deps.sessionScope.join(' '), deps.graph)
          ? deps.graph.claims
          : undefined;
        tokens = await oidc.refresh(refreshToken, {
          scope: deps.sessionScope,
          ...(graphClaims ? { claims: graphClaims } : {}),
        });
      } catch (err) {
        return onFailure(err, current);
      }
      const previousClaims = claimsOf(stored.idToken);
      // OIDC Core §12.2: a refreshed ID token must be about the same user.
      if (tokens.claims && previousClaims && tokens.claims.sub !== previousClaims.sub) {
        log.error(
          { session: id.slice(0, 8), event: 'security' },
          'refreshed ID token names another subject: session ended',
        );
        await store.delete(id);
        return reauthenticate('id_token_invalid');
      }
      const newestRefreshToken = tokens.refreshToken ?? refreshToken;
      const recheck = await recheckRolesAtRefresh(deps, {
        session: current,
        tokens,
        previousClaims,
        refreshToken: newestRefreshToken,
      });
      if (recheck.kind === 'refused') return recheck.result;
      const { minted } = recheck;
      // Entra issues the session's own token for Graph when the login scopes are Graph's: it then
      // serves as the Graph token too, so a Graph call after this refresh needs no second refresh.
      if (!minted[deps.graph.resource] && grantsAll(tokens.scope, deps.graph)) {
        minted[deps.graph.resource] = toResourceToken(tokens, deps.graph, clock);
      }
      const issuedAt = tokens.issuedAt ?? clock.now();
      const expiresAt = tokens.expiresAt ?? issuedAt + 3600_000;
      const updated = await store.update(id, {
        tokens: {
          idToken: tokens.idToken ?? stored.idToken,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: expiresAt,
          accessTokenIssuedAt: issuedAt,
          refreshToken: newestRefreshToken,
        },
        roles: recheck.roles,
        resourceTokens: { ...current.resourceTokens, ...minted },
      });
      if (!updated) return reauthenticate('session_ended');
      await deps.backoffs.succeeded(id);
      log.debug({ session: id.slice(0, 8) }, 'session tokens refreshed');
      refreshed = updated;
      return { kind: 'token', accessToken: tokens.accessToken, expiresAt, session: updated };
    });
    if (refreshed && deps.afterRefresh) {
      await deps.afterRefresh(refreshed).catch((err: unknown) => {
        log.warn({ session: id.slice(0, 8), err }, 'after-refresh hook failed');
      });
    }
    return result;
  };
}

function claimsOf(idToken: string | undefined): IdTokenClaims | undefined {
  if (!idToken) return undefined;
  try {
    return decodeJwt(idToken) as IdTokenClaims; // validated when it was stored
  } catch {
    return undefined;
  }
}
