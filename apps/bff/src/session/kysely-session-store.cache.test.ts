import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect';
import { insertTestUser, type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { createKyselySessionStore } from './kysely-session-store';
import { newSession } from './session-store.contract';
import { createTokenCipher } from './token-cipher';

const cipher = createTokenCipher({ secret: 'kysely-cache-test-secret-0123456789abcdef' });

// Two BFF instances on one database: `here` is the one under test (fake real-time clock for its
// cache), `there` another process. Rows changed behind `here`'s back model `there` too.
for (const target of await testDatabases()) {
  describe(`session read cache of the kysely store on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    let database: DatabaseHandle;
    let userId: string;
    let clock: number;
    let here: ReturnType<typeof createKyselySessionStore>;
    let there: ReturnType<typeof createKyselySessionStore>;
    const setRoles = (id: string, roles: string[]) =>
      database.db
        .updateTable('sessions')
        .set({ roles: JSON.stringify(roles) })
        .where('id', '=', id)
        .execute();

    beforeEach(async () => {
      opened = await target.open();
      database = opened.database;
      userId = await insertTestUser(database);
      clock = 1_000_000;
      here = createKyselySessionStore({ database, cipher }, { cache: { ttlMs: 1000, now: () => clock } });
      there = createKyselySessionStore({ database: opened.openAnother(), cipher });
    });
    afterEach(() => opened.cleanup());

    it('serves a read from memory within the TTL, then reads the database again', async () => {
      const session = newSession(userId);
      await here.create(session);
      expect((await here.get(session.id))?.roles).toEqual(['Gatehouse.User']);
      await setRoles(session.id, ['Changed.Elsewhere']);
      clock += 999;
      expect((await here.get(session.id))?.roles).toEqual(['Gatehouse.User']);
      clock += 1;
      expect((await here.get(session.id))?.roles).toEqual(['Changed.Elsewhere']);
    });

    it('keeps a session deleted by another instance usable here for at most the TTL', async () => {
      const session = newSession(userId);
      await here.create(session);
      await here.get(session.id);
      await there.delete(session.id);
      expect(await there.get(session.id)).toBeUndefined();
      clock += 500;
      expect(await here.get(session.id)).toBeDefined(); // the documented trade-off
      clock += 500;
      expect(await here.get(session.id)).toBeUndefined();
    });

    it('does not cache a miss: a session created by another instance is visible at once', async () => {
      const session = newSession(userId);
      expect(await here.get(session.id)).toBeUndefined();
      await there.create(session);
      expect(await here.get(session.id)).toBeDefined();
    });

    it('drops the entry on update through this instance', async () => {
      const session = newSession(userId);
      await here.create(session);
      await here.get(session.id);
      await here.update(session.id, { roles: ['Gatehouse.Admin'], lastSeenAt: session.lastSeenAt + 60_000 });
      const read = await here.get(session.id);
      expect(read?.roles).toEqual(['Gatehouse.Admin']);
      expect(read?.lastSeenAt).toBe(session.lastSeenAt + 60_000);
    });

    it('drops the entry on delete, deleteByProviderSid, deleteByUser and deleteExpired', async () => {
      const byId = newSession(userId);
      const bySid = newSession(userId, { providerSid: 'front-channel-sid' });
      const expired = newSession(userId, { idleExpiresAt: 5000 });
      for (const s of [byId, bySid, expired]) {
        await here.create(s);
        expect(await here.get(s.id)).toBeDefined();
      }
      await here.delete(byId.id);
      expect(await here.get(byId.id)).toBeUndefined();
      expect(await here.deleteByProviderSid(bySid.issuer, 'front-channel-sid')).toBe(1);
      expect(await here.get(bySid.id)).toBeUndefined();
      expect(await here.deleteExpired(5000)).toBe(1);
      expect(await here.get(expired.id)).toBeUndefined();

      const otherUser = await insertTestUser(database);
      const a = newSession(otherUser);
      const b = newSession(otherUser);
      const kept = newSession(userId);
      for (const s of [a, b, kept]) {
        await here.create(s);
        await here.get(s.id);
      }
      expect(await here.deleteByUser(otherUser)).toBe(2);
      expect(await here.get(a.id)).toBeUndefined();
      expect(await here.get(b.id)).toBeUndefined();
      expect(await here.get(kept.id)).toBeDefined();
    });

    it("reads from the database under the refresh lock, so another instance's refresh is seen", async () => {
      const session = newSession(userId);
      await here.create(session);
      await here.get(session.id); // cached with the original tokens
      await there.update(session.id, {
        tokens: { idToken: 'eyJ.refreshed.id', accessToken: 'refreshed', refreshToken: 'rotated' },
      });
      const underLock = await here.withRefreshLock(session.id, async () => {
        const current = await here.get(session.id);
        return { version: current?.version, refreshToken: current?.tokens.refreshToken };
      });
      expect(underLock).toEqual({ version: 2, refreshToken: 'rotated' });
      // The lock also dropped the stale entry for the requests that follow.
      expect((await here.get(session.id))?.version).toBe(2);
    });

    it('hands out a fresh record on every hit', async () => {
      const session = newSession(userId);
      await here.create(session);
      const first = await here.get(session.id);
      first!.roles.push('Injected');
      expect((await here.get(session.id))?.roles).toEqual(['Gatehouse.User']);
    });

    it('reads the database every time with cache: false', async () => {
      const uncached = createKyselySessionStore({ database, cipher }, { cache: false });
      const session = newSession(userId);
      await uncached.create(session);
      await uncached.get(session.id);
      await setRoles(session.id, ['Changed.Elsewhere']);
      expect((await uncached.get(session.id))?.roles).toEqual(['Changed.Elsewhere']);
    });
  });
}
