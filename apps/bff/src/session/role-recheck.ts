import type { Logger } from 'pino';
import type { IdTokenClaims, OidcClient, TokenSet } from '../auth/oidc';
import type { Clock } from '../clock';
import type { RefreshFailureHandler } from './refresh-failure';
import { toResourceToken } from './resource-token';
import type { ResourceToken, SessionRecord, SessionStore } from './session-store';
import { type ResourceSpec, reauthenticate, type TokenResult } from './token-result';

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

export interface RoleRecheckAtRefreshDeps {
  store: Pick<SessionStore, 'delete'>;
  oidc: Pick<OidcClient, 'refresh'>;
  clock: Clock;
  log: Logger;
  /** The Graph resource, for role re-checks that need a Graph call (groups overage). */
  graph: ResourceSpec;
  /** Evaluates the role policy with refreshed claims. */
  recheckRoles(input: RoleRecheckInput): Promise<RoleRecheck>;
  onFailure: RefreshFailureHandler;
}

export type RoleRecheckAtRefresh =
  /** The user keeps the session with `roles`; `minted` holds the Graph token the check needed, if any. */
  | { kind: 'allowed'; roles: string[]; minted: Record<string, ResourceToken> }
  /** The session ended (role removed or unverifiable), or the check failed: answer `result`. */
  | { kind: 'refused'; result: TokenResult };

/**
 * The role policy at a refresh of the session's own token, inside the refresh lock: a user who lost
 * the role, or whose role cannot be checked with anything fresh, loses the session. A Graph token
 * the check needs (groups overage) is minted from the newest refresh token and kept.
 */
export async function recheckRolesAtRefresh(
  deps: RoleRecheckAtRefreshDeps,
  input: {
    session: SessionRecord;
    tokens: TokenSet;
    previousClaims: IdTokenClaims | undefined;
    refreshToken: string;
  },
): Promise<RoleRecheckAtRefresh> {
  const { session, tokens, previousClaims, refreshToken } = input;
  const id = session.id;
  const minted: Record<string, ResourceToken> = {};
  let recheck: RoleRecheck;
  try {
    recheck = await deps.recheckRoles({
      session,
      tokens,
      previousClaims,
      graphToken: async () => {
        const graph = await deps.oidc.refresh(refreshToken, {
          scope: deps.graph.scope,
          ...(deps.graph.claims ? { claims: deps.graph.claims } : {}),
        });
        minted[deps.graph.resource] = toResourceToken(graph, deps.graph, deps.clock);
        return graph.accessToken;
      },
    });
  } catch (err) {
    return { kind: 'refused', result: await deps.onFailure(err, session) };
  }
  if (!recheck.allowed && 'unverifiable' in recheck) {
    deps.log.warn({ session: id.slice(0, 8) }, 'role could not be re-checked at refresh: session ended');
    await deps.store.delete(id);
    return { kind: 'refused', result: reauthenticate('revoked') };
  }
  if (!recheck.allowed) {
    deps.log.info(
      { session: id.slice(0, 8), requiredRoles: recheck.requiredRoles },
      'role removed: session ended',
    );
    await deps.store.delete(id);
    return {
      kind: 'refused',
      result: reauthenticate('role_removed', { requiredRoles: recheck.requiredRoles }),
    };
  }
  return { kind: 'allowed', roles: recheck.roles, minted };
}
