import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';

export interface LocalGroup {
  id: string;
  name: string;
  description: string;
  memberCount: number;
}

export interface LocalGroupMember {
  id: string;
  name: string;
  email: string | null;
}

export const groupNotFound = () => new AppError('not_found', 'No such group.');

/**
 * Gatehouse's own groups. Managing them (create, delete, set members) is for Gatehouse.Admin and
 * every change is audited; the routes check the role. Members are local users only, by id.
 */
export function createLocalGroups(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;

  return {
    async list(): Promise<LocalGroup[]> {
      const rows = await db
        .selectFrom('local_groups')
        .select((eb) => [
          'id',
          'name',
          'description',
          eb
            .selectFrom('local_group_members')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('local_group_members.group_id', '=', 'local_groups.id')
            .as('member_count'),
        ])
        .orderBy('name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        memberCount: Number(r.member_count ?? 0),
      }));
    },

    async create(actorId: string, input: { name: string; description: string }): Promise<LocalGroup> {
      const now = clock.now();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        const taken = await trx
          .selectFrom('local_groups')
          .select('id')
          .where('name', '=', input.name)
          .executeTakeFirst();
        if (taken)
          throw new AppError('invalid_request', `name: a group called "${input.name}" exists already.`);
        await trx
          .insertInto('local_groups')
          .values({ id, name: input.name, description: input.description, created_at: now, updated_at: now })
          .execute();
        await recordAudit(trx, {
          actorId,
          action: 'local_group.create',
          subjectType: 'local_group',
          subjectId: id,
          details: { name: input.name },
          at: now,
        });
      });
      return { id, name: input.name, description: input.description, memberCount: 0 };
    },

    async delete(actorId: string, id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const group = await trx
          .selectFrom('local_groups')
          .select('name')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!group) throw groupNotFound();
        await recordAudit(trx, {
          actorId,
          action: 'local_group.delete',
          subjectType: 'local_group',
          subjectId: id,
          details: { name: group.name },
          at: clock.now(),
        });
        // Its memberships and the grants to it go too: a grant to a deleted group reaches no one.
        await trx
          .deleteFrom('grants')
          .where('principal_source', '=', 'local')
          .where('principal_type', '=', 'group')
          .where('principal_id', '=', id)
          .execute();
        await trx.deleteFrom('local_groups').where('id', '=', id).execute();
      });
    },

    /** Replaces the members with these local user ids (all must exist), in one transaction. */
    async replaceMembers(actorId: string, id: string, userIds: readonly string[]): Promise<void> {
      const unique = [...new Set(userIds)];
      await db.transaction().execute(async (trx) => {
        const group = await trx
          .selectFrom('local_groups')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!group) throw groupNotFound();
        const known =
          unique.length === 0
            ? []
            : await trx.selectFrom('users').select('id').where('id', 'in', unique).execute();
        const missing = unique.find((u) => !known.some((k) => k.id === u));
        if (missing) throw new AppError('unknown_principal', `There is no local user ${missing}.`);
        const before = await trx
          .selectFrom('local_group_members')
          .select('user_id')
          .where('group_id', '=', id)
          .execute();
        const now = clock.now();
        await trx.deleteFrom('local_group_members').where('group_id', '=', id).execute();
        if (unique.length > 0) {
          await trx
            .insertInto('local_group_members')
            .values(unique.map((user_id) => ({ group_id: id, user_id, added_at: now })))
            .execute();
        }
        await trx.updateTable('local_groups').set({ updated_at: now }).where('id', '=', id).execute();
        await recordAudit(trx, {
          actorId,
          action: 'local_group.members.replace',
          subjectType: 'local_group',
          subjectId: id,
          details: { before: before.map((r) => r.user_id), after: unique },
          at: now,
        });
      });
    },

    /** A page of members by name, `offset` from the cursor. */
    async members(
      id: string,
      offset: number,
      limit: number,
    ): Promise<{ members: LocalGroupMember[]; more: boolean }> {
      const group = await db.selectFrom('local_groups').select('id').where('id', '=', id).executeTakeFirst();
      if (!group) throw groupNotFound();
      const rows = await db
        .selectFrom('local_group_members')
        .innerJoin('users', 'users.id', 'local_group_members.user_id')
        .select(['users.id', 'users.name', 'users.email'])
        .where('local_group_members.group_id', '=', id)
        .orderBy('users.name')
        .orderBy('users.id')
        .offset(offset)
        .limit(limit + 1)
        .execute();
      return {
        members: rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, email: r.email || null })),
        more: rows.length > limit,
      };
    },
  };
}

export type LocalGroups = ReturnType<typeof createLocalGroups>;
