import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { identityKey } from '../users/user-repository';

/** A demo user of the emulator's Contoso tenant, by object id (stable: derived from the UPN). */
interface DemoPerson {
  oid: string;
  name: string;
  email: string;
}

const people = {
  adele: { oid: '5ae773ce-c032-5cf1-a0a3-556304291ca8', name: 'Adele Vance', email: 'adele@contoso.test' },
  megan: { oid: '87904a4f-6a1f-5ab1-a82e-2320b81d945c', name: 'Megan Bowen', email: 'megan@contoso.test' },
  patti: {
    oid: '366f4f3f-a431-5a01-9245-512cb5faf7d6',
    name: 'Patti Fernandez',
    email: 'patti@contoso.test',
  },
  lee: { oid: '7f9a9494-2d13-500b-b12c-5e1815faae4d', name: 'Lee Gu', email: 'lee@contoso.test' },
  joni: { oid: 'dd95e0cb-eedf-5db1-b383-473080f841a9', name: 'Joni Sherman', email: 'joni@contoso.test' },
} satisfies Record<string, DemoPerson>;

/** The local groups `pnpm dev` starts with (members are emulator demo users). */
export const devLocalGroups: { name: string; description: string; members: DemoPerson[] }[] = [
  {
    name: 'Gatehouse Pilot',
    description: 'Early users of Gatehouse (a local group, managed in Gatehouse).',
    members: [people.adele, people.megan, people.patti],
  },
  {
    name: 'Support Desk',
    description: 'Who answers questions about Gatehouse (a local group).',
    members: [people.patti, people.lee, people.joni],
  },
];

export interface DevSeedInput {
  /** The emulator's issuer and tenant: demo users get the local account their sign-in would create. */
  issuer: string;
  tenantId: string;
  now: number;
}

/**
 * Development only (`GATEHOUSE_EMULATOR`): creates the demo local groups, and local accounts for
 * their members keyed exactly as their Entra sign-in will key them (tenant id + object id), so a
 * sign-in later finds the same account. Idempotent: existing groups, accounts and memberships are
 * left as they are (an admin may have changed them). Returns the names of groups created.
 */
export async function seedDevLocalGroups(db: Kysely<Database>, input: DevSeedInput): Promise<string[]> {
  const created: string[] = [];
  const key = identityKey({ issuer: input.issuer, tenantId: input.tenantId });
  await db.transaction().execute(async (trx) => {
    for (const group of devLocalGroups) {
      const existing = await trx
        .selectFrom('local_groups')
        .select('id')
        .where('name', '=', group.name)
        .executeTakeFirst();
      if (existing) continue;
      const groupId = randomUUID();
      await trx
        .insertInto('local_groups')
        .values({
          id: groupId,
          name: group.name,
          description: group.description,
          created_at: input.now,
          updated_at: input.now,
        })
        .execute();
      created.push(group.name);
      for (const person of group.members) {
        await trx
          .insertInto('users')
          .values({
            id: randomUUID(),
            identity_key: key,
            subject: person.oid,
            issuer: input.issuer,
            tenant_id: input.tenantId,
            name: person.name,
            email: person.email,
            username: person.email,
            created_at: input.now,
            updated_at: input.now,
          })
          .onConflict((oc) => oc.columns(['identity_key', 'subject']).doNothing())
          .execute();
        const user = await trx
          .selectFrom('users')
          .select('id')
          .where('identity_key', '=', key)
          .where('subject', '=', person.oid)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('local_group_members')
          .values({ group_id: groupId, user_id: user.id, added_at: input.now })
          .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
          .execute();
      }
    }
  });
  return created;
}
