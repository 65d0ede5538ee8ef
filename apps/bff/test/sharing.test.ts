/**
 * Sharing end to end: conversations, grants and effective access through the BFF's API, with the
 * Entra emulator as the directory. Every scenario runs on SQLite and on PostgreSQL.
 */
import {
  type Conversation,
  type ConversationCreated,
  type ConversationList,
  type GroupMembers,
  type Permissions,
  type PutPermissionsRequest,
  sharingRoutes,
} from '@gatehouse/contracts';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditTrail } from '../src/audit/audit-log';
import { testDatabases } from '../src/db/test-databases';
import { seedDevLocalGroups } from '../src/groups/dev-seed';
import { upsertUser } from '../src/users/user-repository';
import type { Browser } from './browser';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dialects = (await testDatabases()).map((d) => d.name);
const MINUTE = 60_000;

const userId = (alias: string) =>
  contosoSeed.users.find((u) => u.userPrincipalName === `${alias}@contoso.test`)!.id;
const groupId = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!.id;
const path = (template: string, params: Record<string, string>) =>
  template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!));

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

for (const dialect of dialects) {
  async function start(options: HarnessOptions = {}) {
    harness = await createHarness({ database: dialect, ...options });
    // 10-minute access tokens: a refresh is due 6 minutes later.
    harness.emulator.control.setAccessTokenLifetime(10 * 60);
    return harness;
  }

  async function signedIn(alias: string): Promise<Browser> {
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, `${alias}@contoso.test`);
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    return browser;
  }

  const send = (browser: Browser, method: string, url: string, body?: unknown) =>
    harness.api(browser, url, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  async function createConversation(browser: Browser, title = 'Launch plan') {
    const response = await send(browser, 'POST', sharingRoutes.conversations, { title });
    expect(response.status).toBe(201);
    return (await response.json()) as ConversationCreated;
  }

  /** Each query parameter value is refused with 400 invalid_request, the message naming the parameter. */
  async function refusesEach(browser: Browser, url: string, values: Record<string, string[]>) {
    for (const [name, list] of Object.entries(values)) {
      for (const value of list) {
        const bad = await harness.api(browser, `${url}?${name}=${encodeURIComponent(value)}`);
        expect(bad.status, `${name}=${value}`).toBe(400);
        expect(await bad.json()).toMatchObject({
          error: 'invalid_request',
          message: expect.stringMatching(new RegExp(`^${name}: `)),
        });
      }
    }
  }

  const share = (browser: Browser, id: string, grants: PutPermissionsRequest['grants']) =>
    send(browser, 'PUT', path(sharingRoutes.permissions, { id }), { grants });

  const conversation = (browser: Browser, id: string) =>
    harness.api(browser, path(sharingRoutes.conversation, { id }));

  async function localUserId(alias: string) {
    const row = await harness.deps.database.db
      .selectFrom('users')
      .select('id')
      .where('subject', '=', userId(alias))
      .executeTakeFirstOrThrow();
    return row.id;
  }

  describe(`sharing on ${dialect}`, () => {
    it('creates, lists, reads and posts to a conversation as its owner', async () => {
      await start();
      const megan = await signedIn('megan');
      const created = await createConversation(megan, 'Quarterly review');
      expect(created).toMatchObject({ title: 'Quarterly review', role: 'owner' });

      expect(
        (await send(megan, 'POST', path(sharingRoutes.messages, { id: created.id }), { text: 'Hello' }))
          .status,
      ).toBe(201);
      const read = (await (await conversation(megan, created.id)).json()) as Conversation;
      expect(read).toMatchObject({
        id: created.id,
        role: 'owner',
        messages: [{ text: 'Hello', author: { name: 'Megan Bowen' } }],
      });

      const mine = (await (
        await harness.api(megan, `${sharingRoutes.conversations}?filter=mine`)
      ).json()) as ConversationList;
      expect(mine.conversations).toEqual([
        expect.objectContaining({
          id: created.id,
          role: 'owner',
          owner: { id: await localUserId('megan'), name: 'Megan Bowen' },
        }),
      ]);
      const shared = (await (
        await harness.api(megan, `${sharingRoutes.conversations}?filter=shared`)
      ).json()) as ConversationList;
      expect(shared.conversations).toEqual([]);

      const bad = await send(megan, 'POST', sharingRoutes.conversations, { title: '' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringContaining('title'),
      });
    });

    it('pages the list newest first with nextCursor; a shared conversation updated meanwhile moves to the top', async () => {
      await start();
      const megan = await signedIn('megan');
      const created: string[] = [];
      for (let n = 1; n <= 7; n++) {
        created.push((await createConversation(megan, `Plan ${n}`)).id);
        harness.advance(1000); // distinct updatedAt, newest last
      }
      const page = async (query: string) => {
        const response = await harness.api(megan, `${sharingRoutes.conversations}?filter=mine&${query}`);
        expect(response.status).toBe(200);
        return (await response.json()) as ConversationList;
      };
      const titles = (list: ConversationList) => list.conversations.map((c) => c.title);

      const first = await page('limit=3');
      expect(titles(first)).toEqual(['Plan 7', 'Plan 6', 'Plan 5']);
      // A message moves Plan 1 to the top: it is not repeated, nothing is skipped.
      expect(
        (await send(megan, 'POST', path(sharingRoutes.messages, { id: created[0]! }), { text: 'Bump' }))
          .status,
      ).toBe(201);
      const second = await page(`limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(titles(second)).toEqual(['Plan 4', 'Plan 3', 'Plan 2']);
      expect(second.nextCursor).toBeNull(); // Plan 1 is above the first page now
      expect(titles(await page(''))).toEqual([
        'Plan 1',
        'Plan 7',
        'Plan 6',
        'Plan 5',
        'Plan 4',
        'Plan 3',
        'Plan 2',
      ]);
      expect((await page('')).nextCursor).toBeNull();

      await refusesEach(megan, sharingRoutes.conversations, { limit: ['0', '501'], cursor: ['forged'] });
    });

    it("pages a conversation's messages: the latest first, then earlier ones with before=earlierCursor", async () => {
      await start();
      const megan = await signedIn('megan');
      const { id } = await createConversation(megan, 'Long thread');
      for (let n = 1; n <= 5; n++) {
        const posted = await send(megan, 'POST', path(sharingRoutes.messages, { id }), {
          text: `Message ${n}`,
        });
        expect(posted.status).toBe(201);
        harness.advance(1000);
      }
      const read = async (query: string) => {
        const response = await harness.api(megan, `${path(sharingRoutes.conversation, { id })}?${query}`);
        expect(response.status).toBe(200);
        return (await response.json()) as Conversation;
      };
      const texts = (c: Conversation) => c.messages.map((m) => m.text);

      const latest = await read('limit=2');
      expect(latest).toMatchObject({ id, title: 'Long thread', role: 'owner' });
      expect(texts(latest)).toEqual(['Message 4', 'Message 5']);
      // A message posted meanwhile does not shift the earlier pages.
      expect((await send(megan, 'POST', path(sharingRoutes.messages, { id }), { text: 'Late' })).status).toBe(
        201,
      );
      const earlier = await read(`limit=2&before=${encodeURIComponent(latest.earlierCursor!)}`);
      expect(texts(earlier)).toEqual(['Message 2', 'Message 3']);
      const first = await read(`limit=2&before=${encodeURIComponent(earlier.earlierCursor!)}`);
      expect(texts(first)).toEqual(['Message 1']);
      expect(first.earlierCursor).toBeNull();
      const all = await read('');
      expect(texts(all)).toEqual(['Message 1', 'Message 2', 'Message 3', 'Message 4', 'Message 5', 'Late']);
      expect(all.earlierCursor).toBeNull();

      await refusesEach(megan, path(sharingRoutes.conversation, { id }), {
        limit: ['0', '1001'],
        before: ['forged'],
      });
    });

    it('shares with Marketing: Adele (member) and Johanna (member of nested Marketing EU) get access, Lee does not', async () => {
      await start();
      const megan = await signedIn('megan');
      const { id } = await createConversation(megan);
      const response = await share(megan, id, [
        { principal: { type: 'user', source: 'local', id: await localUserId('megan') }, role: 'owner' },
        { principal: { type: 'group', source: 'entra', id: groupId('marketing') }, role: 'viewer' },
      ]);
      expect(response.status).toBe(200);
      expect(((await response.json()) as Permissions).grants).toContainEqual({
        principal: {
          type: 'group',
          source: 'entra',
          id: groupId('marketing'),
          name: 'Marketing',
          email: 'marketing@contoso.test',
        },
        role: 'viewer',
      });

      const adele = await signedIn('adele');
      const asAdele = await conversation(adele, id);
      expect(asAdele.status).toBe(200);
      expect(await asAdele.json()).toMatchObject({ role: 'viewer' });
      const sharedWithAdele = (await (
        await harness.api(adele, `${sharingRoutes.conversations}?filter=shared`)
      ).json()) as ConversationList;
      expect(sharedWithAdele.conversations.map((c) => c.id)).toEqual([id]);

      const johanna = await signedIn('johanna');
      expect((await conversation(johanna, id)).status).toBe(200);

      const lee = await signedIn('lee');
      const asLee = await conversation(lee, id);
      expect(asLee.status).toBe(404);
      expect(await asLee.json()).toMatchObject({ error: 'not_found' });
    });

    it('takes access away after the next refresh once Adele leaves Marketing, and keeps it until then', async () => {
      await start();
      const megan = await signedIn('megan');
      const { id } = await createConversation(megan);
      await share(megan, id, [
        { principal: { type: 'user', source: 'local', id: await localUserId('megan') }, role: 'owner' },
        { principal: { type: 'group', source: 'entra', id: groupId('marketing') }, role: 'editor' },
      ]);
      const adele = await signedIn('adele');
      expect((await conversation(adele, id)).status).toBe(200);

      harness.emulator.control.removeFromGroup('adele', 'marketing');
      harness.advance(MINUTE);
      expect((await conversation(adele, id)).status).toBe(200); // no refresh yet: last known membership
      harness.advance(6 * MINUTE);
      expect((await conversation(adele, id)).status).toBe(404);
      const list = (await (await harness.api(adele, sharingRoutes.conversations)).json()) as ConversationList;
      expect(list.conversations).toEqual([]);
    });

    it('keeps the last known membership when Graph fails at a refresh', async () => {
      await start();
      const megan = await signedIn('megan');
      const { id } = await createConversation(megan);
      await share(megan, id, [
        { principal: { type: 'user', source: 'local', id: await localUserId('megan') }, role: 'owner' },
        { principal: { type: 'group', source: 'entra', id: groupId('marketing') }, role: 'viewer' },
      ]);
      const adele = await signedIn('adele');
      harness.emulator.control.fault({ route: '/v1.0/me/getMemberGroups', status: 503 });
      harness.advance(7 * MINUTE);
      expect((await conversation(adele, id)).status).toBe(200);
      expect(harness.logs.some((line) => line.includes('last known kept'))).toBe(true);
    });

    it('a viewer cannot re-share or post, an editor cannot delete, and the last owner cannot be removed', async () => {
      await start();
      const megan = await signedIn('megan');
      const adele = await signedIn('adele');
      const meganId = await localUserId('megan');
      const adeleId = await localUserId('adele');
      const { id } = await createConversation(megan);
      const owner = { principal: { type: 'user', source: 'local', id: meganId }, role: 'owner' } as const;

      expect(
        (
          await share(megan, id, [
            owner,
            { principal: { type: 'user', source: 'local', id: adeleId }, role: 'viewer' },
          ])
        ).status,
      ).toBe(200);
      const reshare = await share(adele, id, [
        owner,
        { principal: { type: 'user', source: 'local', id: adeleId }, role: 'owner' },
      ]);
      expect(reshare.status).toBe(403);
      expect(await reshare.json()).toMatchObject({ error: 'forbidden' });
      expect((await send(adele, 'POST', path(sharingRoutes.messages, { id }), { text: 'hi' })).status).toBe(
        403,
      );
      expect((await harness.api(adele, path(sharingRoutes.permissions, { id }))).status).toBe(200);

      await share(megan, id, [
        owner,
        { principal: { type: 'user', source: 'local', id: adeleId }, role: 'editor' },
      ]);
      expect((await send(adele, 'POST', path(sharingRoutes.messages, { id }), { text: 'hi' })).status).toBe(
        201,
      );
      const remove = await send(adele, 'DELETE', path(sharingRoutes.conversation, { id }));
      expect(remove.status).toBe(403);
      expect(await remove.json()).toMatchObject({ error: 'forbidden' });

      const orphan = await share(megan, id, [
        { principal: { type: 'user', source: 'local', id: adeleId }, role: 'editor' },
      ]);
      expect(orphan.status).toBe(409);
      expect(await orphan.json()).toMatchObject({ error: 'last_owner' });
      const after = (await (
        await harness.api(megan, path(sharingRoutes.permissions, { id }))
      ).json()) as Permissions;
      expect(after.grants.map((g) => [g.principal.id, g.role])).toEqual([
        [meganId, 'owner'],
        [adeleId, 'editor'],
      ]);

      expect((await send(megan, 'DELETE', path(sharingRoutes.conversation, { id }))).status).toBe(204);
      expect((await conversation(megan, id)).status).toBe(404);
      const trail = await auditTrail(harness.deps.database.db, 'conversation', id);
      expect(trail.map((e) => [e.action, e.actorId])).toEqual([
        ['conversation.create', meganId],
        ['grants.replace', meganId],
        ['grants.replace', meganId],
        ['conversation.delete', meganId],
      ]);
    });

    it('stores what Graph says about an Entra user, ignores a forged name and email, and touches no local user', async () => {
      await start();
      const adele = await signedIn('adele');
      const megan = await signedIn('megan');
      // A local account of another provider that happens to use Alex's address.
      await upsertUser(harness.deps.database.db, {
        issuer: 'https://other-idp.example',
        subject: 'alex-lookalike',
        name: 'Not Alex',
        email: 'alex@contoso.test',
        username: 'alex',
      });
      const usersBefore = await harness.deps.database.db
        .selectFrom('users')
        .selectAll()
        .orderBy('id')
        .execute();
      const { id } = await createConversation(megan);
      const forged = await send(megan, 'PUT', path(sharingRoutes.permissions, { id }), {
        grants: [
          { principal: { type: 'user', source: 'local', id: await localUserId('megan') }, role: 'owner' },
          {
            principal: {
              type: 'user',
              source: 'entra',
              id: userId('alex'),
              name: 'Mallory',
              email: 'mallory@evil.example',
            },
            role: 'viewer',
          },
          {
            principal: {
              type: 'user',
              source: 'entra',
              id: userId('adele').toUpperCase(),
              email: 'megan@contoso.test',
            },
            role: 'viewer',
          },
        ],
      });
      expect(forged.status).toBe(200);
      const { grants } = (await forged.json()) as Permissions;
      expect(grants.map((g) => g.principal)).toContainEqual({
        type: 'user',
        source: 'entra',
        id: userId('alex'),
        name: 'Alex Wilber',
        email: 'alex@contoso.test',
      });
      expect(grants.map((g) => g.principal)).toContainEqual({
        type: 'user',
        source: 'entra',
        id: userId('adele'),
        name: 'Adele Vance',
        email: 'adele@contoso.test',
      });
      const usersAfter = await harness.deps.database.db
        .selectFrom('users')
        .selectAll()
        .orderBy('id')
        .execute();
      expect(usersAfter).toEqual(usersBefore);
      // The grant to Adele's Entra identity reaches her local account (same tid+oid), nothing else.
      expect((await conversation(adele, id)).status).toBe(200);
      expect(
        JSON.stringify(await (await harness.api(megan, path(sharingRoutes.permissions, { id }))).json()),
      ).not.toContain('evil');
    });

    it('refuses an Entra id Graph does not know with unknown_principal, and writes nothing', async () => {
      await start();
      const megan = await signedIn('megan');
      const { id } = await createConversation(megan);
      const owner = {
        principal: { type: 'user', source: 'local', id: await localUserId('megan') },
        role: 'owner',
      } as const;
      for (const bogus of ['00000000-0000-4000-8000-000000000000', '../me', groupId('marketing')]) {
        const response = await share(megan, id, [
          owner,
          { principal: { type: 'user', source: 'entra', id: bogus }, role: 'viewer' },
        ]);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: 'unknown_principal' });
      }
      const unchanged = (await (
        await harness.api(megan, path(sharingRoutes.permissions, { id }))
      ).json()) as Permissions;
      expect(unchanged.grants).toHaveLength(1);
    });

    it('counts owners of a group as members only with ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS', async () => {
      for (const flag of ['true', 'false']) {
        await start({ env: { ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: flag } });
        const adele = await signedIn('adele');
        const { id } = await createConversation(adele);
        await share(adele, id, [
          { principal: { type: 'user', source: 'local', id: await localUserId('adele') }, role: 'owner' },
          { principal: { type: 'group', source: 'entra', id: groupId('marketing') }, role: 'viewer' },
        ]);
        const megan = await signedIn('megan'); // owner of Marketing, not a member
        expect((await conversation(megan, id)).status).toBe(flag === 'true' ? 200 : 404);

        const first = (await (
          await harness.api(
            megan,
            `${path(sharingRoutes.groupMembers, { source: 'entra', id: groupId('marketing') })}?limit=2`,
          )
        ).json()) as GroupMembers;
        expect(first.members).toHaveLength(2);
        const everyone: GroupMembers['members'] = [...first.members];
        let cursor = first.nextCursor;
        while (cursor) {
          const page = (await (
            await harness.api(
              megan,
              `${path(sharingRoutes.groupMembers, { source: 'entra', id: groupId('marketing') })}?limit=2&cursor=${cursor}`,
            )
          ).json()) as GroupMembers;
          everyone.push(...page.members);
          cursor = page.nextCursor;
        }
        expect(
          everyone
            .filter((m) => m.relation === 'member')
            .map((m) => m.name)
            .sort(),
        ).toEqual(['Adele Vance', 'Delia Dennis', 'Marketing EU', 'Miriam Graham']);
        expect(everyone.filter((m) => m.relation === 'owner').map((m) => m.name)).toEqual(
          flag === 'true' ? ['Megan Bowen'] : [],
        );
        await harness.close();
      }
    });

    it('local groups: admins manage them, members get access through them, others are refused', async () => {
      await start();
      harness.emulator.control.addAppRole('patti', 'Gatehouse.User'); // she holds Gatehouse.Admin too
      const patti = await signedIn('patti');
      const adele = await signedIn('adele');
      const lee = await signedIn('lee');

      const refused = await send(adele, 'POST', '/api/groups', { name: 'Reviewers' });
      expect(refused.status).toBe(403);
      const created = await send(patti, 'POST', '/api/groups', {
        name: 'Reviewers',
        description: 'Design reviews',
      });
      expect(created.status).toBe(201);
      const group = (await created.json()) as { id: string };
      const members = await send(patti, 'PUT', `/api/groups/local/${group.id}/members`, {
        members: [{ type: 'user', source: 'local', id: await localUserId('adele') }],
      });
      expect(members.status).toBe(204);

      const { id } = await createConversation(lee);
      await share(lee, id, [
        { principal: { type: 'user', source: 'local', id: await localUserId('lee') }, role: 'owner' },
        { principal: { type: 'group', source: 'local', id: group.id }, role: 'editor' },
      ]);
      expect(await (await conversation(adele, id)).json()).toMatchObject({ role: 'editor' });
      const page = (await (
        await harness.api(lee, path(sharingRoutes.groupMembers, { source: 'local', id: group.id }))
      ).json()) as GroupMembers;
      expect(page.members).toEqual([
        {
          type: 'user',
          source: 'local',
          id: await localUserId('adele'),
          name: 'Adele Vance',
          email: 'adele@contoso.test',
          relation: 'member',
        },
      ]);
      const trail = await auditTrail(harness.deps.database.db, 'local_group', group.id);
      expect(trail.map((e) => e.action)).toEqual(['local_group.create', 'local_group.members.replace']);
    });

    it('seeds the development local groups once, keyed as the demo users will sign in', async () => {
      await start();
      const input = {
        issuer: harness.config.OPENID_ISSUER,
        tenantId: contosoSeed.tenant.id,
        now: harness.now(),
      };
      expect(await seedDevLocalGroups(harness.deps.database.db, input)).toEqual([
        'Gatehouse Pilot',
        'Support Desk',
      ]);
      expect(await seedDevLocalGroups(harness.deps.database.db, input)).toEqual([]);
      const seededAdele = await localUserId('adele');
      await signedIn('adele');
      expect(await localUserId('adele')).toBe(seededAdele); // her sign-in found the seeded account
    });
  });
}
