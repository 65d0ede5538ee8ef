import type { Kysely } from 'kysely';
import type { Database } from '../db/database';

/**
 * Replaces a user's Entra groups with a fresh answer from Graph, in one transaction: readers see
 * the old list or the new one, never half of each. An empty answer is written too (the user left
 * every group); a failed Graph call never gets here.
 */
export async function replaceEntraGroups(
  db: Kysely<Database>,
  userId: string,
  groupIds: readonly string[],
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('entra_group_members').where('user_id', '=', userId).execute();
    // Chunks keep each statement well under SQLite's and PostgreSQL's parameter limits.
    for (let start = 0; start < groupIds.length; start += 500) {
      await trx
        .insertInto('entra_group_members')
        .values(groupIds.slice(start, start + 500).map((group_id) => ({ user_id: userId, group_id })))
        .execute();
    }
    await trx
      .insertInto('entra_memberships')
      .values({ user_id: userId, resolved_at: now, group_count: groupIds.length })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ resolved_at: now, group_count: groupIds.length }),
      )
      .execute();
  });
}

export interface EntraMembershipState {
  resolvedAt: number;
  groupIds: string[];
}

/** The last known Entra groups of a user, or `undefined` if they were never resolved. */
export async function entraGroupsOf(
  db: Kysely<Database>,
  userId: string,
): Promise<EntraMembershipState | undefined> {
  const state = await db
    .selectFrom('entra_memberships')
    .select('resolved_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!state) return undefined;
  const rows = await db
    .selectFrom('entra_group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .execute();
  return { resolvedAt: Number(state.resolved_at), groupIds: rows.map((r) => r.group_id) };
}
