import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../db/test-databases';
import { findUserById, identityKey, type UpsertUserInput, upsertUser } from './user-repository';

const TENANT = '8c25abde-3c6d-4ca1-8ffc-69c01267db6e';
const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;

const adele: UpsertUserInput = {
  issuer: V2_ISSUER,
  tenantId: TENANT,
  subject: 'oid-adele',
  name: 'Adele Vance',
  email: 'adele@contoso.test',
  username: 'adele@contoso.test',
};

describe('identityKey', () => {
  it.each<[Pick<UpsertUserInput, 'issuer' | 'tenantId'>, string]>([
    [{ issuer: V2_ISSUER, tenantId: TENANT }, `entra:${TENANT}`],
    [{ issuer: V1_ISSUER, tenantId: TENANT.toUpperCase() }, `entra:${TENANT}`],
    [{ issuer: 'https://keycloak.example/realms/x' }, 'iss:https://keycloak.example/realms/x'],
    [{ issuer: 'https://keycloak.example/realms/x', tenantId: '' }, 'iss:https://keycloak.example/realms/x'],
  ])('%j → %s', (input, key) => {
    expect(identityKey(input)).toBe(key);
  });
});

for (const target of await testDatabases()) {
  describe(`user repository on ${target.name}`, () => {
    let opened: OpenedTestDatabase;
    const db = () => opened.database.db;
    beforeEach(async () => {
      opened = await target.open();
    });
    afterEach(() => opened.cleanup());

    it('creates a user on first sign-in and finds it by id', async () => {
      const user = await upsertUser(db(), adele, 1000);
      expect(user).toEqual({ ...adele, id: expect.any(String), createdAt: 1000, updatedAt: 1000 });
      expect(await findUserById(db(), user.id)).toEqual(user);
      expect(await findUserById(db(), 'nobody')).toBeUndefined();
    });

    it('keeps one user per (tid, oid), whichever Entra issuer signed them in', async () => {
      const first = await upsertUser(db(), adele, 1000);
      const again = await upsertUser(db(), { ...adele, issuer: V1_ISSUER, name: 'Adele V.' }, 2000);
      expect(again).toMatchObject({
        id: first.id,
        issuer: V1_ISSUER,
        name: 'Adele V.',
        createdAt: 1000,
        updatedAt: 2000,
      });
    });

    it('updates the same user when the email changes', async () => {
      const first = await upsertUser(db(), adele);
      const renamed = await upsertUser(db(), { ...adele, email: 'adele.vance@contoso.test' });
      expect(renamed.id).toBe(first.id);
      expect(renamed.email).toBe('adele.vance@contoso.test');
      expect(await db().selectFrom('users').select('id').execute()).toHaveLength(1);
    });

    it('never links two accounts by email', async () => {
      const real = await upsertUser(db(), adele);
      // A second account (another tenant, or another provider) claims the same address.
      const otherTenant = await upsertUser(db(), {
        ...adele,
        tenantId: 'f00dfeed-0000-4000-8000-000000000000',
      });
      const otherProvider = await upsertUser(db(), {
        issuer: 'https://evil-idp.example',
        subject: 'attacker',
        name: 'Adele Vance',
        email: adele.email,
        username: adele.username,
      });
      expect(new Set([real.id, otherTenant.id, otherProvider.id]).size).toBe(3);
      expect((await findUserById(db(), real.id))?.tenantId).toBe(TENANT);
    });

    it('keys other providers by (iss, sub)', async () => {
      const base = { name: 'K', email: 'k@example.test', username: 'k' };
      const a = await upsertUser(db(), { ...base, issuer: 'https://a.example', subject: 'same-sub' });
      const b = await upsertUser(db(), { ...base, issuer: 'https://b.example', subject: 'same-sub' });
      const a2 = await upsertUser(db(), {
        ...base,
        issuer: 'https://a.example',
        subject: 'same-sub',
        name: 'K2',
      });
      expect(a.id).not.toBe(b.id);
      expect(a2).toMatchObject({ id: a.id, name: 'K2', tenantId: '' });
    });

    it('refuses a user without a subject', async () => {
      await expect(upsertUser(db(), { ...adele, subject: '' })).rejects.toThrow(TypeError);
    });

    it('works inside a transaction', async () => {
      const user = await db()
        .transaction()
        .execute((trx) => upsertUser(trx, adele));
      expect(await findUserById(db(), user.id)).toEqual(user);
    });
  });
}
