import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { createUserLookup } from './user-lookup';
import { upsertUser } from './user-repository';

const input = {
  issuer: 'https://idp.example',
  subject: 's1',
  name: 'Kay',
  email: 'k@example.test',
  username: 'kay',
};

for (const target of await testDatabases()) {
  describe(`user lookup on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    beforeEach(async () => {
      opened = await target.open();
    });
    afterEach(() => opened.cleanup());

    it('reads a profile, reuses it within the TTL, and reads it again after', async () => {
      const clock = { time: 0, now: () => clock.time };
      const lookup = createUserLookup({ database: opened.database }, { ttlMs: 1000, clock });
      const user = await upsertUser(opened.database.db, input);
      expect(await lookup.byId(user.id)).toEqual(user);
      await upsertUser(opened.database.db, { ...input, name: 'Kay Renamed' });
      expect((await lookup.byId(user.id))?.name).toBe('Kay');
      clock.time = 1000;
      expect((await lookup.byId(user.id))?.name).toBe('Kay Renamed');
    });

    it('forgets on request and answers undefined for unknown ids', async () => {
      const lookup = createUserLookup({ database: opened.database });
      const user = await upsertUser(opened.database.db, input);
      await lookup.byId(user.id);
      await upsertUser(opened.database.db, { ...input, email: 'new@example.test' });
      lookup.forget(user.id);
      expect((await lookup.byId(user.id))?.email).toBe('new@example.test');
      expect(await lookup.byId('missing')).toBeUndefined();
    });

    it('keeps at most maxEntries profiles', async () => {
      const lookup = createUserLookup({ database: opened.database }, { maxEntries: 2 });
      const users = [];
      for (const subject of ['a', 'b', 'c'])
        users.push(await upsertUser(opened.database.db, { ...input, subject }));
      for (const user of users) await lookup.byId(user.id);
      await upsertUser(opened.database.db, { ...input, subject: 'a', name: 'A2' });
      // 'a' was evicted to make room for 'c', so it is read afresh.
      expect((await lookup.byId(users[0]!.id))?.name).toBe('A2');
    });
  });
}
