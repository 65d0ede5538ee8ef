import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { upsertUser } from '../users/user-repository';
import { effectiveRoles, highestRole, viewerOf } from './effective-access';
import { entraGroupsOf, replaceEntraGroups } from './membership-store';

describe('highestRole', () => {
  it.each([
    [[], undefined],
    [['viewer'], 'viewer'],
    [['viewer', 'owner', 'editor'], 'owner'],
    [['editor', 'viewer'], 'editor'],
  ] as const)('%j → %s', (roles, expected) => {
    expect(highestRole(roles)).toBe(expected);
  });
});

for (const target of await testDatabases()) {
  describe(`effective access on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    beforeAll(async () => {
      opened = await target.open();
    });
    afterAll(async () => {
      await opened.cleanup();
    });

    it('is the highest of direct, local-group and Entra-group grants; an empty Graph answer clears groups', async () => {
      const db = opened.database.db;
      const entraUser = await upsertUser(db, {
        issuer: 'https://login.example/t/v2.0',
        tenantId: 'tid-1',
        subject: 'AAAAAAAA-0000-4000-8000-000000000001',
        name: 'Entra Person',
        email: 'p@example.test',
        username: 'p',
      });
      const other = await upsertUser(db, {
        issuer: 'https://other.example',
        subject: 's',
        name: 'O',
        email: 'o@x',
        username: 'o',
      });
      const viewer = viewerOf(entraUser);
      expect(viewer.entraObjectId).toBe('aaaaaaaa-0000-4000-8000-000000000001');
      expect(viewerOf(other).entraObjectId).toBeUndefined();

      for (const id of ['c1', 'c2', 'c3', 'c4']) {
        await db
          .insertInto('conversations')
          .values({ id, title: id, created_by: other.id, created_at: 0, updated_at: 0 })
          .execute();
      }
      await db
        .insertInto('local_groups')
        .values({ id: 'lg', name: 'LG', description: '', created_at: 0, updated_at: 0 })
        .execute();
      await db
        .insertInto('local_group_members')
        .values({ group_id: 'lg', user_id: entraUser.id, added_at: 0 })
        .execute();
      await replaceEntraGroups(db, entraUser.id, ['eg-1', 'eg-2'], 1);
      const grant = (
        conversation_id: string,
        principal_type: 'user' | 'group',
        principal_source: 'local' | 'entra',
        principal_id: string,
        role: 'viewer' | 'editor' | 'owner',
      ) => ({
        conversation_id,
        principal_type,
        principal_source,
        principal_id,
        role,
        granted_by: other.id,
        granted_at: 0,
      });
      await db
        .insertInto('grants')
        .values([
          grant('c1', 'user', 'local', entraUser.id, 'viewer'),
          grant('c1', 'group', 'entra', 'eg-2', 'editor'),
          grant('c2', 'user', 'entra', viewer.entraObjectId!, 'owner'),
          grant('c2', 'group', 'local', 'lg', 'viewer'),
          grant('c3', 'group', 'entra', 'eg-other', 'owner'),
          grant('c3', 'user', 'local', other.id, 'owner'),
          // A group id that happens to equal the user's id must not count as the user.
          grant('c4', 'group', 'local', entraUser.id, 'owner'),
        ])
        .execute();

      expect(Object.fromEntries(await effectiveRoles(db, viewer))).toEqual({ c1: 'editor', c2: 'owner' });
      expect(Object.fromEntries(await effectiveRoles(db, viewer, ['c1', 'c3']))).toEqual({ c1: 'editor' });

      await replaceEntraGroups(db, entraUser.id, [], 2);
      expect(await entraGroupsOf(db, entraUser.id)).toEqual({ resolvedAt: 2, groupIds: [] });
      expect(Object.fromEntries(await effectiveRoles(db, viewer))).toEqual({ c1: 'viewer', c2: 'owner' });
    });
  });
}
