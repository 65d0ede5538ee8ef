import type { Config } from '@gatehouse/config';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { myGroupIds } from '../graph/directory';
import type { GraphClient } from '../graph/graph-client';
import type { SessionRecord } from '../session/session-store';
import type { ResourceSpec, TokenManager } from '../session/token-manager';
import type { UserLookup } from '../users/user-lookup';
import { replaceEntraGroups } from './membership-store';

export interface MembershipResolverDeps {
  config: Pick<Config, 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH' | 'ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS'>;
  database: DatabaseHandle;
  graph: GraphClient;
  tokens: Pick<TokenManager, 'resourceToken'>;
  graphResource: ResourceSpec;
  clock: Clock;
  log: Logger;
  users: Pick<UserLookup, 'byId'>;
}

export type MembershipOutcome =
  | { kind: 'resolved'; groups: number }
  /** Graph or the token failed: the last known membership stays, and the failure is logged. */
  | { kind: 'kept'; reason: string }
  /** Nothing to resolve: the feature is off, or the user is not an Entra user. */
  | { kind: 'skipped' };

export type MembershipResolver = (session: SessionRecord) => Promise<MembershipOutcome>;

/**
 * Resolves a user's Entra groups through Graph and stores them: called at sign-in and after every
 * refresh of the session's token, so a user removed from a group loses what it granted within one
 * access-token lifetime. With ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS=true, groups they own count too.
 * An empty answer clears the membership; a failed call keeps the last known one and logs why
 * (LibreChat treats both as "no groups" and keeps stale memberships forever).
 */
export function createMembershipResolver(deps: MembershipResolverDeps): MembershipResolver {
  const { config, log } = deps;
  return async function resolveMembership(session) {
    if (!config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) return { kind: 'skipped' };
    const user = await deps.users.byId(session.userId);
    // Only users signed in through Entra (keyed by tid+oid) have Entra groups.
    if (!user?.tenantId) return { kind: 'skipped' };
    const token = await deps.tokens.resourceToken(session, deps.graphResource);
    if (token.kind !== 'token') {
      const reason = token.kind === 'failed' ? token.code : token.reason;
      log.warn(
        { user: user.id, reason },
        'Entra group membership not refreshed (no Graph token): last known kept',
      );
      return { kind: 'kept', reason };
    }
    let groupIds: string[];
    try {
      groupIds = await myGroupIds(deps.graph, token.accessToken, {
        includeOwned: config.ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS,
      });
    } catch (err) {
      log.warn(
        { user: user.id, err },
        'Entra group membership not refreshed (Graph failed): last known kept',
      );
      return { kind: 'kept', reason: 'graph_failed' };
    }
    await replaceEntraGroups(deps.database.db, user.id, groupIds, deps.clock.now());
    log.debug({ user: user.id, groups: groupIds.length }, 'Entra group membership resolved');
    return { kind: 'resolved', groups: groupIds.length };
  };
}
