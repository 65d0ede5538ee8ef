import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect';
import { insertTestUser, type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { createKyselySessionStore } from './kysely-session-store';
import { SessionLockTimeoutError } from './refresh-lock';
import { describeSessionStoreContract, newSession } from './session-store.contract';
import { createTokenCipher, TokenCipherError } from './token-cipher';

const secret = 'kysely-store-test-secret-0123456789abcdef';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of await testDatabases()) {
  describeSessionStoreContract(`kysely on ${target.name}`, async () => {
    const opened = await target.open();
    return {
      store: createKyselySessionStore({ database: opened.database, cipher: createTokenCipher({ secret }) }),
      newUserId: () => insertTestUser(opened.database),
      cleanup: opened.cleanup,
    };
  });

  describe(`kysely session store on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    let database: DatabaseHandle;
    let userId: string;
    const cipher = createTokenCipher({ secret });
    beforeEach(async () => {
      opened = await target.open();
      database = opened.database;
      userId = await insertTestUser(database);
    });
    afterEach(() => opened.cleanup());

    it('hands out fresh records: fields read without decrypting, tokens decrypted once, spread and JSON carry them', async () => {
      let decryptions = 0;
      const counting = {
        ...cipher,
        decrypt: (...args: Parameters<typeof cipher.decrypt>) => {
          decryptions++;
          return cipher.decrypt(...args);
        },
      };
      const store = createKyselySessionStore({ database, cipher: counting });
      const session = newSession(userId, { providerSid: 'sid-1' });
      await store.create(session);
      const record = (await store.get(session.id))!;
      expect([record.id, record.userId, record.roles, record.providerSid, record.version]).toEqual([
        session.id,
        userId,
        session.roles,
        'sid-1',
        1,
      ]);
      expect(decryptions).toBe(0);
      expect(record.tokens).toEqual(session.tokens);
      expect(record.tokens).toBe(record.tokens);
      expect(decryptions).toBe(1);
      const copy = { ...record };
      expect(copy.tokens).toEqual(session.tokens);
      expect(copy.resourceTokens).toEqual({});
      expect(JSON.parse(JSON.stringify(record))).toMatchObject({ id: session.id, tokens: session.tokens });
      record.roles.push('changed by a caller');
      expect((await store.get(session.id))!.roles).toEqual(session.roles);
    });

    it('never writes a token in plaintext', async () => {
      const store = createKyselySessionStore({ database, cipher });
      const session = newSession(userId, {
        resourceTokens: {
          'https://graph.microsoft.com': {
            accessToken: 'graph-secret-token',
            expiresAt: 1,
            scope: 'User.Read',
          },
        },
      });
      await store.create(session);
      await store.update(session.id, {
        tokens: { ...session.tokens, refreshToken: 'rotated-refresh-secret' },
      });
      const row = await database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', session.id)
        .executeTakeFirstOrThrow();
      const raw = JSON.stringify(row);
      for (const secretValue of [
        'refresh-token-secret-value',
        'rotated-refresh-secret',
        'access-token-secret-value',
        'id-token-payload',
        'graph-secret-token',
      ]) {
        expect(raw).not.toContain(secretValue);
      }
      expect(row.tokens.startsWith(`v1.${cipher.currentKeyId}.`)).toBe(true);
      expect(row.resource_tokens.startsWith(`v1.${cipher.currentKeyId}.`)).toBe(true);
    });

    it('refuses a token ciphertext copied into another session', async () => {
      const store = createKyselySessionStore({ database, cipher });
      const victim = newSession(userId, {
        tokens: { idToken: 'victim-id-token', refreshToken: 'victim-refresh' },
      });
      const attacker = newSession(userId);
      await store.create(victim);
      await store.create(attacker);
      const stolen = await database.db
        .selectFrom('sessions')
        .select('tokens')
        .where('id', '=', victim.id)
        .executeTakeFirstOrThrow();
      await database.db
        .updateTable('sessions')
        .set({ tokens: stolen.tokens })
        .where('id', '=', attacker.id)
        .execute();
      const read = await store.get(attacker.id);
      expect(() => read?.tokens).toThrow(TokenCipherError);
    });

    it('reads sessions written under a previous secret after a rotation and re-encrypts on write', async () => {
      const before = createKyselySessionStore({
        database,
        cipher: createTokenCipher({ secret: 'the-old-secret-0123456789' }),
      });
      const session = newSession(userId);
      await before.create(session);
      const rotated = createTokenCipher({ secret, previousSecrets: ['the-old-secret-0123456789'] });
      const after = createKyselySessionStore({ database, cipher: rotated });
      expect((await after.get(session.id))?.tokens).toEqual(session.tokens);
      await after.update(session.id, { tokens: session.tokens });
      const row = await database.db
        .selectFrom('sessions')
        .select('tokens')
        .where('id', '=', session.id)
        .executeTakeFirstOrThrow();
      expect(row.tokens.split('.')[1]).toBe(rotated.currentKeyId);
    });

    it('drops a session that no configured secret can decrypt, with a 401 when its tokens are needed', async () => {
      const warnings: string[] = [];
      const before = createKyselySessionStore({
        database,
        cipher: createTokenCipher({ secret: 'forgotten-secret-0123456789' }),
      });
      const session = newSession(userId);
      await before.create(session);
      const after = createKyselySessionStore({
        database,
        cipher,
        log: { warn: (_obj, message) => warnings.push(message) },
      });
      const read = await after.get(session.id);
      expect(read?.userId).toBe(userId);
      expect(() => read?.tokens).toThrow(
        expect.objectContaining({ code: 'login_required', reason: 'revoked', status: 401 }),
      );
      expect(warnings).toHaveLength(1);
      await expect.poll(() => after.get(session.id)).toBeUndefined();
    });

    it("deletes a user's sessions with the user", async () => {
      const store = createKyselySessionStore({ database, cipher });
      const session = newSession(userId);
      await store.create(session);
      await database.db.deleteFrom('users').where('id', '=', userId).execute();
      expect(await store.get(session.id)).toBeUndefined();
    });

    it('serialises refreshes of one session across two processes', async () => {
      const storeA = createKyselySessionStore({ database, cipher });
      const storeB = createKyselySessionStore({ database: opened.openAnother(), cipher });
      const session = newSession(userId);
      await storeA.create(session);
      let running = 0;
      let maxRunning = 0;
      const refresh = (store: typeof storeA) =>
        store.withRefreshLock(session.id, async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          const current = await store.get(session.id);
          await sleep(15);
          await store.update(session.id, { roles: [...(current?.roles ?? []), 'x'] });
          running--;
        });
      await Promise.all([refresh(storeA), refresh(storeB), refresh(storeA), refresh(storeB)]);
      expect(maxRunning).toBe(1);
      expect((await storeA.get(session.id))?.roles).toHaveLength(5);
    });

    it('gives up with a 503 error when another process holds the lock too long', async () => {
      const holder = createKyselySessionStore({ database, cipher });
      const waiter = createKyselySessionStore({ database: opened.openAnother(), cipher }, { waitMs: 80 });
      const session = newSession(userId);
      await holder.create(session);
      let releaseHolder!: () => void;
      const held = new Promise<void>((r) => {
        releaseHolder = r;
      });
      let entered!: () => void;
      const holding = new Promise<void>((r) => {
        entered = r;
      });
      const first = holder.withRefreshLock(session.id, async () => {
        entered();
        await held;
      });
      await holding;
      const error = await waiter.withRefreshLock(session.id, async () => 'never').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionLockTimeoutError);
      expect((error as SessionLockTimeoutError).status).toBe(503);
      releaseHolder();
      await first;
      // Once released, another process gets the lock (with the default wait: a loaded CI machine
      // may need more than 80 ms to see the release).
      const later = createKyselySessionStore({ database: opened.openAnother(), cipher });
      await expect(later.withRefreshLock(session.id, async () => 'now')).resolves.toBe('now');
    });

    it('completes more concurrent refreshes than there are pooled connections', async () => {
      const store = createKyselySessionStore({ database, cipher });
      const sessions = Array.from({ length: 12 }, () => newSession(userId));
      for (const s of sessions) await store.create(s);
      const results = await Promise.all(
        sessions.map((s) =>
          store.withRefreshLock(s.id, async () => {
            const current = await store.get(s.id);
            await sleep(10);
            return (await store.update(s.id, { tokens: { ...current!.tokens, refreshToken: 'next' } }))
              ?.version;
          }),
        ),
      );
      expect(results).toEqual(sessions.map(() => 2));
    });

    if (target.name === 'sqlite') {
      it('reads tokens lazily: newer tokens after a concurrent refresh, 401 after a concurrent sign-out', async () => {
        const store = createKyselySessionStore({ database, cipher });
        const session = newSession(userId);
        await store.create(session);
        const early = await store.get(session.id);
        const refreshed = { ...session.tokens, accessToken: 'refreshed-access' };
        await store.update(session.id, { tokens: refreshed });
        expect(early?.tokens).toEqual(refreshed);

        const beforeLogout = await store.get(session.id);
        await store.delete(session.id);
        expect(() => beforeLogout?.tokens).toThrow(
          expect.objectContaining({ code: 'login_required', reason: 'signed_out', status: 401 }),
        );
      });

      it('takes over the lease of a crashed process once it has expired', async () => {
        const store = createKyselySessionStore({ database, cipher }, { waitMs: 2000 });
        const session = newSession(userId);
        await store.create(session);
        await database.db
          .insertInto('session_locks')
          .values({ session_id: session.id, owner: 'crashed', expires_at: Date.now() - 1 })
          .execute();
        await expect(store.withRefreshLock(session.id, async () => 'ok')).resolves.toBe('ok');
        const left = await database.db.selectFrom('session_locks').selectAll().execute();
        expect(left).toEqual([]);
      });

      it('waits for a live lease, and renews its own while the refresh runs', async () => {
        const store = createKyselySessionStore({ database, cipher }, { leaseMs: 60, waitMs: 2000 });
        const session = newSession(userId);
        await store.create(session);
        const observed: number[] = [];
        await store.withRefreshLock(session.id, async () => {
          const start = await database.db
            .selectFrom('session_locks')
            .select('expires_at')
            .executeTakeFirstOrThrow();
          await sleep(100);
          const later = await database.db
            .selectFrom('session_locks')
            .select('expires_at')
            .executeTakeFirstOrThrow();
          observed.push(start.expires_at, later.expires_at);
        });
        expect(observed[1]).toBeGreaterThan(observed[0]!);
      });
    }
  });
}
