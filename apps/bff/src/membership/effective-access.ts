import { type ShareRole, shareRoleRank } from '@gatehouse/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database';
import type { User } from '../users/user-repository';

type Db = Kysely<Database> | Transaction<Database>;

/** Who is asking, as grants name people: their local user id and, for an Entra user, their object id. */
export interface Viewer {
  userId: string;
  /** The Entra object id (`oid`), lower case; only for users signed in through Entra (keyed by tid+oid). */
  entraObjectId?: string;
}

export function viewerOf(user: Pick<User, 'id' | 'tenantId' | 'subject'>): Viewer {
  return user.tenantId ? { userId: user.id, entraObjectId: user.subject.toLowerCase() } : { userId: user.id };
}

/** The highest of several roles (owner > editor > viewer), or `undefined` for none. */
export function highestRole(roles: Iterable<ShareRole>): ShareRole | undefined {
  let best: ShareRole | undefined;
  for (const role of roles) if (!best || shareRoleRank[role] > shareRoleRank[best]) best = role;
  return best;
}

/** Whether `role` allows what `needed` allows. */
export function roleAllows(role: ShareRole, needed: ShareRole): boolean {
  return shareRoleRank[role] >= shareRoleRank[needed];
}

/**
 * The viewer's effective role on each conversation they can reach (or only on `conversationIds`):
 * the highest of the grants to them directly (local user, Entra user), to their local groups, and to
 * their Entra groups as last resolved from Graph. Group membership is read in the same query, so
 * one statement decides, and a membership change applies to the next request.
 */
export async function effectiveRoles(
  db: Db,
  viewer: Viewer,
  conversationIds?: readonly string[],
): Promise<Map<string, ShareRole>> {
  if (conversationIds && conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('grants')
    .select(['conversation_id', 'role'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('principal_source', '=', 'local'),
          eb('principal_type', '=', 'user'),
          eb('principal_id', '=', viewer.userId),
        ]),
        ...(viewer.entraObjectId
          ? [
              eb.and([
                eb('principal_source', '=', 'entra'),
                eb('principal_type', '=', 'user'),
                eb('principal_id', '=', viewer.entraObjectId),
              ]),
            ]
          : []),
        eb.and([
          eb('principal_source', '=', 'local'),
          eb('principal_type', '=', 'group'),
          eb(
            'principal_id',
            'in',
            eb.selectFrom('local_group_members').select('group_id').where('user_id', '=', viewer.userId),
          ),
        ]),
        eb.and([
          eb('principal_source', '=', 'entra'),
          eb('principal_type', '=', 'group'),
          eb(
            'principal_id',
            'in',
            eb.selectFrom('entra_group_members').select('group_id').where('user_id', '=', viewer.userId),
          ),
        ]),
      ]),
    )
    .$if(conversationIds !== undefined, (qb) => qb.where('conversation_id', 'in', conversationIds!))
    .execute();
  const byConversation = new Map<string, ShareRole[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push(row.role);
    byConversation.set(row.conversation_id, list);
  }
  const roles = new Map<string, ShareRole>();
  for (const [id, list] of byConversation) roles.set(id, highestRole(list)!);
  return roles;
}

export async function roleOn(db: Db, viewer: Viewer, conversationId: string): Promise<ShareRole | undefined> {
  return (await effectiveRoles(db, viewer, [conversationId])).get(conversationId);
}
