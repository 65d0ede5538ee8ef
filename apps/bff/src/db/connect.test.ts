import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from './connect';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';
import { ping } from './ping';
import { testDatabases } from './test-databases';

describe('createDatabase on SQLite', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the folder of the file and turns on WAL, busy timeout and foreign keys', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-connect-'));
    const path = join(dir, 'nested', 'data', 'gatehouse.db');
    const handle = createDatabase({ kind: 'sqlite', path });
    try {
      expect(handle.dialect).toBe('sqlite');
      expect(existsSync(join(dir, 'nested', 'data'))).toBe(true);
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
    } finally {
      await handle.close();
      await handle.close(); // idempotent
    }
  });
});

describe('migration names', () => {
  it.each(Object.keys(migrations))('%s is YYYY_MM_DD_HHMM_verb_noun', (name) => {
    expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z]+(_[a-z]+)+$/);
  });
});

for (const target of await testDatabases()) {
  describe(`database on ${target.name}`, () => {
    it('migrates up idempotently', async () => {
      const { database, cleanup } = await target.open();
      try {
        expect(await migrateToLatest(database.db)).toEqual([]);
        const tables = async () =>
          (await database.db.introspection.getTables())
            .map((t) => t.name)
            .filter((n) => !n.startsWith('kysely_'));
        expect((await tables()).sort()).toEqual([
          'attachment_job_files',
          'attachment_jobs',
          'attachments',
          'audit_log',
          'conversations',
          'entra_group_members',
          'entra_memberships',
          'entra_principals',
          'grants',
          'local_group_members',
          'local_groups',
          'messages',
          'session_locks',
          'session_refresh_backoffs',
          'sessions',
          'users',
        ]);
      } finally {
        await cleanup();
      }
    });

    it('answers a ping', async () => {
      const { database, cleanup } = await target.open();
      try {
        await expect(ping(database.db)).resolves.toBeUndefined();
      } finally {
        await cleanup();
      }
    });

    it('returns bigint columns as numbers', async () => {
      const { database, cleanup } = await target.open();
      try {
        const now = Date.UTC(2026, 10, 27);
        await database.db
          .insertInto('users')
          .values({
            id: 'u1',
            identity_key: 'k',
            subject: 's',
            issuer: 'i',
            tenant_id: '',
            name: 'n',
            email: 'e',
            username: 'u',
            created_at: now,
            updated_at: now,
          })
          .execute();
        const row = await database.db.selectFrom('users').select(['created_at']).executeTakeFirstOrThrow();
        expect(row.created_at).toBe(now);
      } finally {
        await cleanup();
      }
    });
  });
}

describe('ping', () => {
  it('rejects when PostgreSQL is unreachable', async () => {
    const handle = createDatabase({ kind: 'postgres', url: 'postgres://nobody:x@127.0.0.1:1/none' });
    try {
      await expect(ping(handle.db)).rejects.toThrow();
    } finally {
      await handle.close();
    }
  });

  it('rejects when the database does not answer in time', async () => {
    const stuck = { executeQuery: () => new Promise(() => {}) };
    const fakeDb = {
      getExecutor: () => ({
        transformQuery: (q: unknown) => q,
        compileQuery: () => ({ sql: 'select 1', parameters: [], query: {} }),
        executeQuery: stuck.executeQuery,
      }),
    };
    await expect(ping(fakeDb as never, 20)).rejects.toThrow(/within 20 ms/);
  });
});
