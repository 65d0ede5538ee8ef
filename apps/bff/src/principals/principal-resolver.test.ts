import type { PrincipalRef } from '@gatehouse/contracts';
import { contosoSeed, createEmulator } from '@gatehouse/entra-emulator';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorGraph } from '../../test/support/emulator-graph';
import { type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { createLocalGroups } from '../groups/local-groups';
import { upsertUser } from '../users/user-repository';
import { normaliseRef, resolvePrincipals } from './principal-resolver';

const seedUser = (alias: string) =>
  contosoSeed.users.find((u) => u.userPrincipalName.startsWith(`${alias}@`))!;
const seedGroup = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!;

// One emulator for the file: Graph answers by id with Megan's delegated token.
const emulator = createEmulator();
const { graph, tokenFor } = emulatorGraph(emulator);
let token: string;
beforeAll(async () => {
  token = await tokenFor('megan@contoso.test');
});

for (const target of await testDatabases()) {
  describe(`resolvePrincipals on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    let graphTokenAsked: number;
    beforeEach(async () => {
      opened = await target.open();
      graphTokenAsked = 0;
      emulator.control.resetCounters();
    });
    afterEach(() => opened.cleanup());

    const resolve = (refs: PrincipalRef[]) =>
      resolvePrincipals(opened.database.db, graph, {
        refs,
        graphToken: async () => {
          graphTokenAsked++;
          return token;
        },
      });

    it('takes Entra users and groups from Graph by id: a forged name or email is ignored', async () => {
      const adele = seedUser('adele');
      const marketing = seedGroup('marketing');
      // What a browser might send: Graph's id in another spelling, with a name and email of its own
      // (the request schema drops those; here they reach the resolver to show it reads none of them).
      const forged = {
        type: 'user',
        source: 'entra',
        id: adele.id.toUpperCase(),
        name: 'Chief Executive',
        email: 'ceo@contoso.test',
      } as PrincipalRef;
      const resolved = await resolve([
        normaliseRef(forged),
        normaliseRef({ type: 'group', source: 'entra', id: marketing.id }),
      ]);
      expect([...resolved.values()]).toEqual([
        { type: 'user', source: 'entra', id: adele.id, name: adele.displayName, email: adele.mail },
        {
          type: 'group',
          source: 'entra',
          id: marketing.id,
          name: marketing.displayName,
          email: marketing.mail,
        },
      ]);
      // Both looked up in one $batch.
      expect(emulator.control.counters().graph['/v1.0/$batch']).toBe(1);
    });

    it('answers unknown_principal naming an Entra id Graph does not know, and for a user id given as a group', async () => {
      const nobody = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
      await expect(resolve([{ type: 'user', source: 'entra', id: nobody }])).rejects.toMatchObject({
        code: 'unknown_principal',
        message: `Microsoft Graph does not know the user ${nobody}.`,
      });
      const adele = seedUser('adele');
      await expect(resolve([{ type: 'group', source: 'entra', id: adele.id }])).rejects.toMatchObject({
        code: 'unknown_principal',
      });
    });

    it('refuses an id that is not a GUID without asking Graph for it', async () => {
      for (const id of ['../me', 'adele@contoso.test', "x' or 1 eq 1"]) {
        await expect(resolve([{ type: 'user', source: 'entra', id }])).rejects.toMatchObject({
          code: 'unknown_principal',
        });
      }
      expect(emulator.control.counters().graph).toEqual({});
    });

    it('finds local users and groups in the database, without a Graph token', async () => {
      const user = await upsertUser(opened.database.db, {
        issuer: 'https://idp.example',
        subject: 's1',
        name: 'Kay Local',
        email: 'kay@example.test',
        username: 'kay',
      });
      const groups = createLocalGroups({ db: opened.database.db, clock: { now: () => 1_700_000_000_000 } });
      const group = await groups.create(user.id, { name: 'Reviewers', description: '' });
      const resolved = await resolve([
        { type: 'user', source: 'local', id: user.id },
        { type: 'group', source: 'local', id: group.id },
      ]);
      expect([...resolved.values()]).toEqual([
        { type: 'user', source: 'local', id: user.id, name: 'Kay Local', email: 'kay@example.test' },
        { type: 'group', source: 'local', id: group.id, name: 'Reviewers', email: null },
      ]);
      expect(graphTokenAsked).toBe(0);
      await expect(resolve([{ type: 'group', source: 'local', id: user.id }])).rejects.toMatchObject({
        code: 'unknown_principal',
        message: `There is no local group ${user.id}.`,
      });
    });
  });
}
