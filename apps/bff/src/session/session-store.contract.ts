import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSession, SessionStore } from './session-store';

/**
 * The behaviour every `SessionStore` shares, run against the memory store and the Kysely store on
 * each test database (see memory-session-store.test.ts, kysely-session-store.test.ts).
 */
export interface StoreUnderTest {
  store: SessionStore;
  /** Creates a user the sessions can belong to; returns its id. */
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
let counter = 0;

export function newSession(userId: string, overrides: Partial<NewSession> = {}): NewSession {
  counter++;
  return {
    id: `session-${counter}-${Math.random().toString(36).slice(2)}`,
    userId,
    issuer: 'https://login.example/tenant/v2.0',
    providerSid: `sid-${counter}`,
    roles: ['Gatehouse.User'],
    tokens: {
      idToken: 'eyJhbGciOiJSUzI1NiJ9.id-token-payload.sig',
      accessToken: 'access-token-secret-value',
      accessTokenExpiresAt: T0 + 3_600_000,
      refreshToken: 'refresh-token-secret-value',
    },
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 900_000,
    absoluteExpiresAt: T0 + 604_800_000,
    ...overrides,
  };
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function describeSessionStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name}: SessionStore contract`, () => {
    let subject: StoreUnderTest;
    let store: SessionStore;
    let userId: string;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      userId = await subject.newUserId();
    });
    afterEach(() => subject.cleanup());

    it('creates a session at version 1 and reads it back unchanged', async () => {
      const input = newSession(userId, {
        resourceTokens: {
          'https://graph.microsoft.com': {
            accessToken: 'graph-token',
            expiresAt: T0 + 1000,
            scope: 'User.Read',
          },
        },
      });
      const created = await store.create(input);
      expect(plain(created)).toEqual({ ...input, version: 1 });
      expect(plain(await store.get(input.id))).toEqual({ ...input, version: 1 });
    });

    it('defaults resource tokens to none and keeps a missing provider sid absent', async () => {
      const { providerSid: _dropped, ...input } = newSession(userId);
      await store.create(input);
      const read = await store.get(input.id);
      expect(read?.resourceTokens).toEqual({});
      expect(read && 'providerSid' in read).toBe(false);
    });

    it('answers undefined for an unknown id', async () => {
      expect(await store.get('no-such-session')).toBeUndefined();
    });

    it('updates only the patched fields and bumps the version on each write', async () => {
      const input = newSession(userId);
      await store.create(input);
      const tokens = { ...input.tokens, accessToken: 'new-access', refreshToken: 'new-refresh' };
      const first = await store.update(input.id, { tokens, roles: ['A', 'B'] });
      expect(first?.version).toBe(2);
      expect(first?.tokens).toEqual(tokens);
      expect(first?.roles).toEqual(['A', 'B']);
      expect(first?.idleExpiresAt).toBe(input.idleExpiresAt);
      const second = await store.update(input.id, { lastSeenAt: T0 + 5, idleExpiresAt: T0 + 10 });
      expect(second).toMatchObject({ version: 3, lastSeenAt: T0 + 5, idleExpiresAt: T0 + 10 });
      expect(second?.tokens).toEqual(tokens);
      const read = await store.get(input.id);
      expect(plain(read)).toEqual(plain(second));
    });

    it('stores resource tokens per resource', async () => {
      const input = newSession(userId);
      await store.create(input);
      const resourceTokens = {
        'https://graph.microsoft.com': { accessToken: 'g', expiresAt: T0 + 1, scope: 'User.Read' },
        'https://contoso.sharepoint.com': { accessToken: 's', expiresAt: T0 + 2, scope: 'AllSites.Read' },
      };
      await store.update(input.id, { resourceTokens });
      expect((await store.get(input.id))?.resourceTokens).toEqual(resourceTokens);
    });

    it('answers undefined when updating a session that is gone', async () => {
      expect(await store.update('gone', { roles: [] })).toBeUndefined();
    });

    it('does not let a caller mutate the stored record', async () => {
      const input = newSession(userId);
      const created = await store.create(input);
      created.roles.push('Injected');
      const read = await store.get(input.id);
      read!.roles.push('Injected');
      expect((await store.get(input.id))?.roles).toEqual(['Gatehouse.User']);
    });

    it('deletes one session', async () => {
      const a = newSession(userId);
      const b = newSession(userId);
      await store.create(a);
      await store.create(b);
      await store.delete(a.id);
      await store.delete('never-existed');
      expect(await store.get(a.id)).toBeUndefined();
      expect(await store.get(b.id)).toBeDefined();
    });

    it('deletes by provider sid within one issuer only (front-channel logout)', async () => {
      const a = newSession(userId, { providerSid: 'shared-sid' });
      const b = newSession(userId, { providerSid: 'shared-sid' });
      const other = newSession(userId, { providerSid: 'shared-sid', issuer: 'https://other.example' });
      for (const s of [a, b, other]) await store.create(s);
      expect(await store.deleteByProviderSid(a.issuer, 'shared-sid')).toBe(2);
      expect(await store.get(a.id)).toBeUndefined();
      expect(await store.get(other.id)).toBeDefined();
      expect(await store.deleteByProviderSid(a.issuer, 'shared-sid')).toBe(0);
    });

    it("deletes by provider sid across a multi-tenant issuer's tenants, and no other issuer", async () => {
      const tenantA = newSession(userId, {
        providerSid: 'sid-mt',
        issuer: 'https://login.example/11111111-1111-4111-8111-111111111111/v2.0',
      });
      const tenantB = newSession(userId, {
        providerSid: 'sid-mt',
        issuer: 'https://login.example/22222222-2222-4222-8222-222222222222/v2.0',
      });
      const elsewhere = newSession(userId, { providerSid: 'sid-mt', issuer: 'https://other.example' });
      const otherSid = newSession(userId, { providerSid: 'sid-other', issuer: tenantA.issuer });
      for (const s of [tenantA, tenantB, elsewhere, otherSid]) await store.create(s);
      const anyTenant = /^https:\/\/login\.example\/[0-9a-f-]{36}\/v2\.0$/;
      expect(await store.deleteByProviderSid(anyTenant, 'sid-mt')).toBe(2);
      expect(await store.get(tenantA.id)).toBeUndefined();
      expect(await store.get(tenantB.id)).toBeUndefined();
      expect(await store.get(elsewhere.id)).toBeDefined();
      expect(await store.get(otherSid.id)).toBeDefined();
    });

    it("deletes every session of a user and nobody else's", async () => {
      const otherUser = await subject.newUserId();
      await store.create(newSession(userId));
      await store.create(newSession(userId));
      const kept = newSession(otherUser);
      await store.create(kept);
      expect(await store.deleteByUser(userId)).toBe(2);
      expect(await store.get(kept.id)).toBeDefined();
    });

    it('deletes sessions past their idle or absolute expiry, at the boundary included', async () => {
      const now = T0 + 1_000_000;
      const idle = newSession(userId, { idleExpiresAt: now });
      const absolute = newSession(userId, { idleExpiresAt: now + 10, absoluteExpiresAt: now - 1 });
      const live = newSession(userId, { idleExpiresAt: now + 1, absoluteExpiresAt: now + 2 });
      for (const s of [idle, absolute, live]) await store.create(s);
      expect(await store.deleteExpired(now)).toBe(2);
      expect(await store.get(live.id)).toBeDefined();
      expect(await store.get(idle.id)).toBeUndefined();
    });

    it('runs refresh-locked work for one session one caller at a time, and passes results through', async () => {
      const input = newSession(userId);
      await store.create(input);
      let running = 0;
      let maxRunning = 0;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          store.withRefreshLock(input.id, async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            // The refresh re-reads and writes the session while holding the lock.
            const current = await store.get(input.id);
            await sleep(3);
            await store.update(input.id, { roles: [...(current?.roles ?? []), `r${n}`] });
            running--;
            return n;
          }),
        ),
      );
      expect(maxRunning).toBe(1);
      expect(results).toEqual([0, 1, 2, 3, 4, 5]);
      // No lost update: each caller saw the previous caller's write.
      expect((await store.get(input.id))?.roles).toHaveLength(7);
      expect((await store.get(input.id))?.version).toBe(7);
    });

    it('lets different sessions refresh at the same time', async () => {
      const a = newSession(userId);
      const b = newSession(userId);
      await store.create(a);
      await store.create(b);
      let running = 0;
      let started = 0;
      let maxRunning = 0;
      // Each holder waits (bounded) for the other to start: they overlap unless one lock blocks the
      // other, however slow the machine is.
      const work = async () => {
        running++;
        started++;
        maxRunning = Math.max(maxRunning, running);
        for (let waited = 0; started < 2 && waited < 2000; waited += 10) await sleep(10);
        running--;
      };
      await Promise.all([store.withRefreshLock(a.id, work), store.withRefreshLock(b.id, work)]);
      expect(maxRunning).toBe(2);
    });

    it('releases the lock when the work fails', async () => {
      const input = newSession(userId);
      await store.create(input);
      await expect(
        store.withRefreshLock(input.id, async () => {
          throw new Error('token endpoint down');
        }),
      ).rejects.toThrow('token endpoint down');
      await expect(store.withRefreshLock(input.id, async () => 'next')).resolves.toBe('next');
    });

    it('keeps a refresh back-off per session, clears it, and drops it with the session', async () => {
      const session = await store.create(newSession(userId));
      const other = await store.create(newSession(userId));
      expect(await store.refreshBackoff(session.id)).toBeUndefined();
      await store.setRefreshBackoff(session.id, { failures: 1, retryAt: T0 + 1000 });
      await store.setRefreshBackoff(session.id, { failures: 2, retryAt: T0 + 3000 });
      await store.setRefreshBackoff(other.id, { failures: 1, retryAt: T0 + 500 });
      expect(await store.refreshBackoff(session.id)).toEqual({ failures: 2, retryAt: T0 + 3000 });
      await store.setRefreshBackoff(session.id, undefined);
      expect(await store.refreshBackoff(session.id)).toBeUndefined();
      await store.delete(other.id);
      expect(await store.refreshBackoff(other.id)).toBeUndefined();
      // A session that is gone (signed out meanwhile) gets no back-off, and no error.
      await store.setRefreshBackoff(other.id, { failures: 1, retryAt: T0 });
      expect(await store.refreshBackoff(other.id)).toBeUndefined();
    });
  });
}
