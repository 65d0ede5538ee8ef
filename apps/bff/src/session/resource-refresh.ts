import type { OidcClient, TokenSet } from '../auth/oidc';
import type { Clock } from '../clock';
import type { RefreshBackoffs } from './refresh-backoff';
import type { RefreshFailureHandler } from './refresh-failure';
import { toResourceToken } from './resource-token';
import type { SessionRecord, SessionStore } from './session-store';
import type { TokenFreshness } from './token-freshness';
import { backingOff, type ResourceSpec, reauthenticate, type TokenResult, tokenKeyOf } from './token-result';

export interface ResourceRefreshDeps {
  store: SessionStore;
  oidc: Pick<OidcClient, 'refresh'>;
  clock: Clock;
  freshness: TokenFreshness;
  /** A recent failed refresh (this or another instance) makes callers wait instead of retrying. */
  backoffs: Pick<RefreshBackoffs, 'current' | 'succeeded'>;
  onFailure: RefreshFailureHandler;
}

/**
 * Mints a token for another resource (Graph, a SharePoint site) from the session's refresh token
 * under the refresh lock, unless the re-read session already holds a fresh one or one minted since
 * the caller read it (`seen`); keeps it on the
 * session, with the rotated refresh token if the provider sent one.
 */
export function createResourceRefresh(
  deps: ResourceRefreshDeps,
): (seen: SessionRecord, spec: ResourceSpec) => Promise<TokenResult> {
  const { store, oidc, clock, onFailure } = deps;
  const { isFresh, isUnexpired } = deps.freshness;
  return function refreshResource(seen, spec) {
    const id = seen.id;
    const key = tokenKeyOf(spec);
    return store.withRefreshLock(id, async () => {
      const current = await store.get(id);
      if (!current) return reauthenticate('session_ended');
      const cached = current.resourceTokens[key];
      // Minted by another request or instance since the caller read the session: use it while it
      // works, due or not, rather than redeem the refresh token again.
      const mintedMeanwhile =
        cached !== undefined &&
        cached.accessToken !== seen.resourceTokens[key]?.accessToken &&
        isUnexpired(cached.expiresAt);
      if (cached && (mintedMeanwhile || isFresh(cached))) {
        return {
          kind: 'token',
          accessToken: cached.accessToken,
          expiresAt: cached.expiresAt,
          session: current,
        };
      }
      const refreshToken = current.tokens.refreshToken;
      if (!refreshToken) return reauthenticate('no_refresh_token', { resource: spec.resource });
      const backoff = await deps.backoffs.current(id);
      if (backoff) return backingOff(backoff, clock);
      let tokens: TokenSet;
      try {
        tokens = await oidc.refresh(refreshToken, {
          scope: spec.scope,
          ...(spec.claims ? { claims: spec.claims } : {}),
        });
      } catch (err) {
        return onFailure(err, current, spec.resource);
      }
      const token = toResourceToken(tokens, spec, clock);
      const updated = await store.update(id, {
        resourceTokens: { ...current.resourceTokens, [key]: token },
        ...(tokens.refreshToken ? { tokens: { ...current.tokens, refreshToken: tokens.refreshToken } } : {}),
      });
      if (!updated) return reauthenticate('session_ended');
      await deps.backoffs.succeeded(id);
      return { kind: 'token', accessToken: token.accessToken, expiresAt: token.expiresAt, session: updated };
    });
  };
}
