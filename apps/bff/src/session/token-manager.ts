/**
 * Gives requests an access token, refreshing it from the session's refresh token when it has less
 * than `refreshBeforeMs` (5 minutes) left. The outcome is one of a closed set of values, never null
 * and never an exception for an expected failure (Duende's `AccessTokenResult`).
 *
 * Single flight: concurrent callers in this process share one pending refresh per session and
 * resource; across processes `store.withRefreshLock` serialises them, and the holder re-reads the
 * session first, so a second BFF instance finds the token the first one just obtained instead of
 * redeeming the refresh token again. Every refresh of the session's own token also re-checks the
 * role policy with the fresh claims: a user who lost the role loses the session.
 */
import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { IdTokenClaims, OidcClient, TokenSet } from '../auth/oidc';
import { OidcError } from '../auth/oidc-error';
import { createSingleFlight } from '../cache/single-flight';
import type { Clock } from '../clock';
import { AppError, type AppErrorOptions } from '../http/errors';
import type { ResourceToken, SessionRecord, SessionStore } from './session-store';

export type ReauthenticateReason =
  /** The refresh token is dead (`invalid_grant`): the session was deleted. */
  | 'revoked'
  /** The role policy no longer allows the user: the session was deleted. */
  | 'role_removed'
  /** Consent, MFA or Conditional Access for `resource`: the session is kept. */
  | 'interaction_required'
  /** Token reuse is off (no refresh token) and the stored token cannot serve. */
  | 'no_refresh_token'
  /** The session disappeared meanwhile (signed out in another tab, expired). */
  | 'session_ended';

export type TokenResult =
  | { kind: 'token'; accessToken: string; expiresAt: number; session: SessionRecord }
  | { kind: 'reauthenticate'; reason: ReauthenticateReason; resource?: string; requiredRoles?: string[] }
  | { kind: 'failed'; code: 'provider_unavailable' | 'internal' };

/** A resource other than the session's own token: Graph, a SharePoint site. */
export interface ResourceSpec {
  /** Cache key, the resource's audience: `https://graph.microsoft.com`. */
  resource: string;
  /** Scopes to request with the refresh token, e.g. `https://graph.microsoft.com/User.Read`. */
  scope: readonly string[];
}

export type RoleRecheck =
  | { allowed: true; roles: string[] }
  | { allowed: false; requiredRoles: string[] }
  /** The refresh gave nothing fresh to check the role against: the session ends, sign in again. */
  | { allowed: false; unverifiable: true };

export interface RoleRecheckInput {
  session: SessionRecord;
  /** The refresh response. */
  tokens: TokenSet;
  /** Claims to evaluate when the refresh carried no new ID token (the session's last validated ones). */
  previousClaims: IdTokenClaims | undefined;
  /** A Graph token minted inside the refresh lock (for groups overage). */
  graphToken(): Promise<string>;
}

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

export interface TokenManagerOptions {
  /** Refresh when less than this is left (default 5 minutes); also the skew on cached resource tokens. */
  refreshBeforeMs?: number;
}

export interface TokenManager {
  /** The session's own access token (from the login scopes), refreshed and role-checked when due. */
  sessionToken(session: SessionRecord): Promise<TokenResult>;
  /**
   * Whether `sessionToken` would call the provider now: the session has a refresh token and its
   * access token has less than `refreshBeforeMs` left. Cheap on the hot path: the answer is kept
   * per session `version`, so the encrypted tokens are decrypted only after a write.
   */
  isDue(session: SessionRecord): boolean;
  /** A token for another resource, minted from the same refresh token and cached per session. */
  resourceToken(session: SessionRecord, spec: ResourceSpec): Promise<TokenResult>;
}

export function createTokenManager(deps: TokenManagerDeps, options: TokenManagerOptions = {}): TokenManager {
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  if (!(refreshBeforeMs >= 0)) throw new TypeError('createTokenManager: refreshBeforeMs must be >= 0.');
  const { store, oidc, clock, log } = deps;
  const flights = createSingleFlight<string, TokenResult>();
  // What `isDue` needs (no secret: an expiry time and a flag), per session version.
  const summaries = new LRUCache<
    string,
    { version: number; expiresAt: number | undefined; refreshable: boolean }
  >({ max: 10_000 });

  function summary(session: SessionRecord) {
    const known = summaries.get(session.id);
    if (known && known.version === session.version) return known;
    const { accessToken, accessTokenExpiresAt, refreshToken } = session.tokens;
    const fresh = {
      version: session.version,
      expiresAt: accessToken ? accessTokenExpiresAt : undefined,
      refreshable: refreshToken !== undefined,
    };
    summaries.set(session.id, fresh);
    return fresh;
  }

  const fresh = (expiresAt: number | undefined) =>
    expiresAt !== undefined && expiresAt - clock.now() > refreshBeforeMs;
  const reauthenticate = (
    reason: ReauthenticateReason,
    extra: { resource?: string; requiredRoles?: string[] } = {},
  ): TokenResult => ({ kind: 'reauthenticate', reason, ...extra });

  /** Expected provider failures become values; the session is deleted only when it cannot recover. */
  async function onRefreshError(
    err: unknown,
    session: SessionRecord,
    resource?: string,
  ): Promise<TokenResult> {
    if (err instanceof OidcError) {
      const context = { session: session.id.slice(0, 8), resource, failure: err.failure, ...err.provider };
      switch (err.failure) {
        case 'invalid_grant':
          log.info(context, 'refresh token rejected (invalid_grant): session ended');
          await store.delete(session.id);
          return reauthenticate('revoked');
        case 'not_assigned':
          // AADSTS50105: unassigned from the app — a lost role, not something a sign-in can fix.
          log.info(context, 'user no longer assigned to the app: session ended');
          await store.delete(session.id);
          return reauthenticate('role_removed');
        case 'interaction_required':
          log.info(context, 'refresh needs user interaction');
          return reauthenticate('interaction_required', resource ? { resource } : {});
        case 'invalid_client':
          log.error(context, "refresh failed: the provider rejected the BFF's client credentials");
          return { kind: 'failed', code: 'provider_unavailable' };
        default:
          log.warn(context, `refresh failed: ${err.message}`);
          return { kind: 'failed', code: 'provider_unavailable' };
      }
    }
    if (err instanceof AppError && err.code === 'interaction_required') {
      // Graph refused the token minted for a role re-check (Conditional Access, consent).
      log.info({ session: session.id.slice(0, 8), err }, 'role re-check needs user interaction');
      return reauthenticate(
        'interaction_required',
        err.details?.resource ? { resource: err.details.resource } : {},
      );
    }
    if (err instanceof AppError && err.code === 'provider_unavailable') {
      log.warn({ session: session.id.slice(0, 8), err }, 'refresh lock or provider unavailable');
      return { kind: 'failed', code: 'provider_unavailable' };
    }
    log.error({ session: session.id.slice(0, 8), err }, 'refresh failed unexpectedly');
    return { kind: 'failed', code: 'internal' };
  }

  function claimsOf(idToken: string | undefined): IdTokenClaims | undefined {
    if (!idToken) return undefined;
    try {
      return decodeJwt(idToken) as IdTokenClaims; // validated when it was stored
    } catch {
      return undefined;
    }
  }

  async function refreshSession(id: string): Promise<TokenResult> {
    let refreshed: SessionRecord | undefined;
    const result = await store.withRefreshLock(id, async (): Promise<TokenResult> => {
      const current = await store.get(id);
      if (!current) return reauthenticate('session_ended');
      const stored = current.tokens;
      // Another request (or BFF instance) refreshed while we waited for the lock.
      if (stored.accessToken && fresh(stored.accessTokenExpiresAt)) {
        return {
          kind: 'token',
          accessToken: stored.accessToken,
          expiresAt: stored.accessTokenExpiresAt!,
          session: current,
        };
      }
      const refreshToken = stored.refreshToken;
      if (!refreshToken) return reauthenticate('no_refresh_token');

      let tokens: TokenSet;
      try {
        tokens = await oidc.refresh(refreshToken, { scope: deps.sessionScope });
      } catch (err) {
        return onRefreshError(err, current);
      }
      const previousClaims = claimsOf(stored.idToken);
      // OIDC Core §12.2: a refreshed ID token must be about the same user.
      if (tokens.claims && previousClaims && tokens.claims.sub !== previousClaims.sub) {
        log.error({ session: id.slice(0, 8) }, 'refreshed ID token names another subject: session ended');
        await store.delete(id);
        return reauthenticate('revoked');
      }
      const newestRefreshToken = tokens.refreshToken ?? refreshToken;
      const minted: Record<string, ResourceToken> = {};
      let recheck: RoleRecheck;
      try {
        recheck = await deps.recheckRoles({
          session: current,
          tokens,
          previousClaims,
          graphToken: async () => {
            const graph = await oidc.refresh(newestRefreshToken, { scope: deps.graph.scope });
            minted[deps.graph.resource] = toResourceToken(graph, deps.graph);
            return graph.accessToken;
          },
        });
      } catch (err) {
        return onRefreshError(err, current);
      }
      if (!recheck.allowed && 'unverifiable' in recheck) {
        log.warn({ session: id.slice(0, 8) }, 'role could not be re-checked at refresh: session ended');
        await store.delete(id);
        return reauthenticate('revoked');
      }
      if (!recheck.allowed) {
        log.info(
          { session: id.slice(0, 8), requiredRoles: recheck.requiredRoles },
          'role removed: session ended',
        );
        await store.delete(id);
        return reauthenticate('role_removed', { requiredRoles: recheck.requiredRoles });
      }
      // Entra issues the session's own token for Graph when the login scopes are Graph's: it then
      // serves as the Graph token too, so a Graph call after this refresh needs no second refresh.
      if (!minted[deps.graph.resource] && grantsAll(tokens.scope, deps.graph)) {
        minted[deps.graph.resource] = toResourceToken(tokens, deps.graph);
      }
      const expiresAt = tokens.expiresAt ?? clock.now() + 3600_000;
      const updated = await store.update(id, {
        tokens: {
          idToken: tokens.idToken ?? stored.idToken,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: expiresAt,
          refreshToken: newestRefreshToken,
        },
        roles: recheck.roles,
        resourceTokens: { ...current.resourceTokens, ...minted },
      });
      if (!updated) return reauthenticate('session_ended');
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
  }

  function toResourceToken(tokens: TokenSet, spec: ResourceSpec): ResourceToken {
    return {
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt ?? clock.now() + 3600_000,
      scope: tokens.scope ?? spec.scope.join(' '),
    };
  }

  async function refreshResource(id: string, spec: ResourceSpec): Promise<TokenResult> {
    return store.withRefreshLock(id, async () => {
      const current = await store.get(id);
      if (!current) return reauthenticate('session_ended');
      const cached = current.resourceTokens[spec.resource];
      if (cached && fresh(cached.expiresAt)) {
        return {
          kind: 'token',
          accessToken: cached.accessToken,
          expiresAt: cached.expiresAt,
          session: current,
        };
      }
      const refreshToken = current.tokens.refreshToken;
      if (!refreshToken) return reauthenticate('no_refresh_token', { resource: spec.resource });
      let tokens: TokenSet;
      try {
        tokens = await oidc.refresh(refreshToken, { scope: spec.scope });
      } catch (err) {
        return onRefreshError(err, current, spec.resource);
      }
      const token = toResourceToken(tokens, spec);
      const updated = await store.update(id, {
        resourceTokens: { ...current.resourceTokens, [spec.resource]: token },
        ...(tokens.refreshToken ? { tokens: { ...current.tokens, refreshToken: tokens.refreshToken } } : {}),
      });
      if (!updated) return reauthenticate('session_ended');
      return { kind: 'token', accessToken: token.accessToken, expiresAt: token.expiresAt, session: updated };
    });
  }

  return {
    isDue(session) {
      const known = summary(session);
      return known.refreshable && !fresh(known.expiresAt);
    },

    sessionToken(session) {
      const { accessToken, accessTokenExpiresAt } = session.tokens;
      if (accessToken && fresh(accessTokenExpiresAt)) {
        return Promise.resolve({ kind: 'token', accessToken, expiresAt: accessTokenExpiresAt!, session });
      }
      if (!session.tokens.refreshToken) {
        // Token reuse off: the login token serves until it expires, then there is none.
        return Promise.resolve(
          accessToken && accessTokenExpiresAt !== undefined && accessTokenExpiresAt > clock.now()
            ? { kind: 'token', accessToken, expiresAt: accessTokenExpiresAt, session }
            : reauthenticate('no_refresh_token'),
        );
      }
      return flights.run(`${session.id}\n`, () => refreshSession(session.id));
    },

    resourceToken(session, spec) {
      const cached = session.resourceTokens[spec.resource];
      if (cached && fresh(cached.expiresAt)) {
        return Promise.resolve({
          kind: 'token',
          accessToken: cached.accessToken,
          expiresAt: cached.expiresAt,
          session,
        });
      }
      if (!session.tokens.refreshToken) {
        return Promise.resolve(reauthenticate('no_refresh_token', { resource: spec.resource }));
      }
      return flights.run(`${session.id}\n${spec.resource}`, () => refreshResource(session.id, spec));
    },
  };
}

/** Whether a token response's `scope` includes every scope of `spec` (`User.Read` = `https://graph…/User.Read`). */
export function grantsAll(granted: string | undefined, spec: ResourceSpec): boolean {
  if (!granted) return false;
  const bare = (scope: string) =>
    (scope.toLowerCase().startsWith(`${spec.resource.toLowerCase()}/`)
      ? scope.slice(spec.resource.length + 1)
      : scope
    ).toLowerCase();
  const have = new Set(granted.split(/\s+/).map(bare));
  return spec.scope.length > 0 && spec.scope.every((scope) => have.has(bare(scope)));
}

/**
 * The HTTP error for a token outcome that is not a token (for routes that need one); `headers` go
 * with it (the middleware clears the session cookie of an ended session).
 */
export function tokenFailure(
  result: Exclude<TokenResult, { kind: 'token' }>,
  headers?: AppErrorOptions['headers'],
): AppError {
  const extra = headers ? { headers } : {};
  if (result.kind === 'failed') {
    return result.code === 'provider_unavailable'
      ? new AppError(
          'provider_unavailable',
          'The identity provider is unavailable; your session is kept. Try again shortly.',
          extra,
        )
      : new AppError('internal', 'Something went wrong while renewing your session.', extra);
  }
  switch (result.reason) {
    case 'revoked':
      return new AppError('login_required', 'Your sign-in is no longer valid. Sign in again.', {
        reason: 'revoked',
        ...extra,
      });
    case 'role_removed':
      return new AppError('role_required', 'You no longer have a role this application requires.', {
        reason: 'role_removed',
        ...extra,
        ...(result.requiredRoles ? { details: { requiredRoles: result.requiredRoles } } : {}),
      });
    case 'interaction_required':
      return new AppError('interaction_required', 'Sign in again to grant access to this resource.', {
        reason: 'consent_required',
        ...extra,
        ...(result.resource ? { details: { resource: result.resource } } : {}),
      });
    case 'session_ended':
      return new AppError('login_required', 'Your session has ended. Sign in again.', {
        reason: 'no_session',
        ...extra,
      });
    case 'no_refresh_token':
      return new AppError(
        'interaction_required',
        'This needs a fresh sign-in: the server keeps no refresh token (OPENID_REUSE_TOKENS is off).',
        result.resource ? { details: { resource: result.resource }, ...extra } : extra,
      );
  }
}
