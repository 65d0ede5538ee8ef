import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devDefaults } from '@gatehouse/config';
import { type Kysely, type Migration, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { repoRoot, runTsx } from '../../test/support/run-tsx';
import { DatabaseNewerError, MigrationError, migrateToLatest, readMigrationStatus } from './migrate';
import { migrations } from './migrations';
import { testDatabases } from './test-databases';

// biome-ignore lint/suspicious/noExplicitAny: test migrations, like real ones, know no app schema.
type AnyDb = Kysely<any>;

const names = Object.keys(migrations).sort();
const olderBuild = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== names.at(-1)));
const FUTURE = '2099_01_01_0000_add_future_thing';

const tableNames = async (db: AnyDb) =>
  (await db.introspection.getTables()).map((table) => table.name).sort();

/** What a newer build leaves behind: a migration name this build does not have. */
async function recordFutureMigration(db: AnyDb) {
  await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(
    db,
  );
}

for (const target of await testDatabases()) {
  describe(`migrateToLatest on ${target.name}`, { timeout: 30_000 }, () => {
    it('refuses a database migrated by a newer build, naming what it does not know, and changes nothing', async () => {
      const { database, cleanup } = await target.open();
      try {
        const tablesBefore = await tableNames(database.db);
        const error = await migrateToLatest(database.db, { migrations: olderBuild }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DatabaseNewerError);
        expect((error as DatabaseNewerError).unknownMigrations).toEqual([names.at(-1)]);
        expect((error as Error).message).toContain(names.at(-1));
        expect((error as Error).message).toContain(
          'This Gatehouse build is older than the database; deploy the newer build or restore a backup.',
        );
        expect(await tableNames(database.db)).toEqual(tablesBefore);
        expect((await readMigrationStatus(database.db)).applied.map((m) => m.name)).toEqual(names);
      } finally {
        await cleanup();
      }
    });

    it('refuses with this build list too when the database has a migration from the future', async () => {
      const { database, cleanup } = await target.open();
      try {
        await recordFutureMigration(database.db);
        expect(await readMigrationStatus(database.db)).toMatchObject({ pending: [], unknown: [FUTURE] });
        await expect(migrateToLatest(database.db)).rejects.toThrow(new DatabaseNewerError([FUTURE]).message);
      } finally {
        await cleanup();
      }
    });

    it('refuses too when a newer build migrates between its check and its turn at the lock', async () => {
      const opened = await target.open({ migrations: olderBuild });
      try {
        const newerInstance = opened.openAnother();
        let raced = false;
        // Right after this build's own check has read the migration table, a newer build records its migration.
        const racing = opened.database.db.withPlugin({
          transformQuery: (args) => args.node,
          async transformResult(args) {
            if (!raced && JSON.stringify(args.result.rows).includes(names[0] ?? '')) {
              raced = true;
              await recordFutureMigration(newerInstance.db);
            }
            return args.result;
          },
        });
        await expect(migrateToLatest(racing)).rejects.toThrow(new DatabaseNewerError([FUTURE]).message);
        expect(raced).toBe(true);
        expect((await readMigrationStatus(opened.database.db)).pending).toEqual([names.at(-1)]);
      } finally {
        await opened.cleanup();
      }
    });

    it('keeps nothing of a batch in which one migration fails, and names that migration', async () => {
      const { database, cleanup } = await target.open({ migrations: olderBuild });
      try {
        const tablesBefore = await tableNames(database.db);
        const failing: Record<string, Migration> = {
          ...migrations,
          '2099_01_01_0000_create_widgets': {
            up: async (db: AnyDb) => {
              await db.schema
                .createTable('widgets')
                .addColumn('id', 'text', (c) => c.primaryKey())
                .execute();
            },
          },
          '2099_01_01_0001_break_things': {
            up: async (db: AnyDb) => {
              await db.schema.alterTable('users').addColumn('nickname', 'text').execute();
              await sql`select * from no_such_table`.execute(db);
            },
          },
        };
        const error = await migrateToLatest(database.db, { migrations: failing }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as MigrationError).migrationName).toBe('2099_01_01_0001_break_things');
        expect((error as Error).message).toMatch(
          /^Database migration 2099_01_01_0001_break_things failed: .*no_such_table/,
        );
        // Not the earlier migrations of the batch either, nor half of the failing one.
        expect(await tableNames(database.db)).toEqual(tablesBefore);
        const users = await database.db.introspection
          .getTables()
          .then((t) => t.find((x) => x.name === 'users'));
        expect(users?.columns.map((c) => c.name)).not.toContain('nickname');
        expect((await readMigrationStatus(database.db, { migrations: failing })).pending).toEqual([
          names.at(-1),
          '2099_01_01_0000_create_widgets',
          '2099_01_01_0001_break_things',
        ]);
        // The previous build still runs on it, and this build can try again.
        expect(await migrateToLatest(database.db)).toEqual([names.at(-1)]);
      } finally {
        await cleanup();
      }
    });
  });
}

const targets = await testDatabases();
const postgres = targets.find((t) => t.name === 'postgres');
const sqlite = targets.find((t) => t.name === 'sqlite');

describe.runIf(postgres)(
  'migrateToLatest from several instances at once on postgres',
  { timeout: 30_000 },
  () => {
    it('applies each migration once', async () => {
      if (!postgres) return;
      const opened = await postgres.open({ migrations: {} });
      try {
        const instances = [opened.database, opened.openAnother(), opened.openAnother()];
        const applied = await Promise.all(instances.map((handle) => migrateToLatest(handle.db)));
        expect(applied.flat().sort()).toEqual(names);
        expect((await readMigrationStatus(opened.database.db)).applied.map((m) => m.name)).toEqual(names);
      } finally {
        await opened.cleanup();
      }
    });
  },
);

describe.runIf(sqlite)('migrateToLatest on sqlite, table rebuilds', () => {
  // SQLite cannot alter a column: a migration rebuilds the table (create, copy, drop, rename). With
  // foreign keys on, dropping the old `users` would cascade to every session; the batch runs with
  // them off and checked before commit.
  const rebuildUsers: Migration = {
    up: async (db: AnyDb) => {
      const { rows } = await sql<{
        ddl: string;
      }>`select sql as ddl from sqlite_master where name = 'users'`.execute(db);
      await sql.raw((rows[0]?.ddl ?? '').replace('"users"', '"users_new"')).execute(db);
      await sql`insert into users_new select * from users`.execute(db);
      await sql`drop table users`.execute(db);
      await sql`alter table users_new rename to users`.execute(db);
    },
  };

  it('keeps the rows that reference a rebuilt table', async () => {
    if (!sqlite) return;
    const { database, cleanup } = await sqlite.open();
    try {
      await insertUserWithSession(database.db);
      await migrateToLatest(database.db, {
        migrations: { ...migrations, '2099_01_01_0000_rebuild_users': rebuildUsers },
      });
      expect(await database.db.selectFrom('sessions').select('id').execute()).toEqual([{ id: 's1' }]);
      const pragma = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
      expect(pragma.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await cleanup();
    }
  });

  it('rolls back a migration that leaves broken references', async () => {
    if (!sqlite) return;
    const { database, cleanup } = await sqlite.open();
    try {
      await insertUserWithSession(database.db);
      const dropUsers: Migration = {
        up: async (db: AnyDb) => void (await sql`delete from users`.execute(db)),
      };
      await expect(
        migrateToLatest(database.db, {
          migrations: { ...migrations, '2099_01_01_0000_drop_users': dropUsers },
        }),
      ).rejects.toThrow(/broken foreign keys \(sessions → users\)/);
      expect(await database.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
    } finally {
      await cleanup();
    }
  });
});

async function insertUserWithSession(db: AnyDb) {
  await db
    .insertInto('users')
    .values({
      id: 'u1',
      identity_key: 'k',
      subject: 's',
      issuer: 'i',
      tenant_id: 't',
      name: 'n',
      email: 'e',
      username: 'u',
      created_at: 1,
      updated_at: 1,
    })
    .execute();
  await db
    .insertInto('sessions')
    .values({
      id: 's1',
      user_id: 'u1',
      issuer: 'i',
      provider_sid: null,
      roles: '[]',
      tokens: 'x',
      resource_tokens: 'x',
      created_at: 1,
      last_seen_at: 1,
      idle_expires_at: 2,
      absolute_expires_at: 2,
      version: 1,
    })
    .execute();
}

for (const target of targets) {
  describe(`the start path (main.ts) on ${target.name}`, () => {
    it('exits 1 before listening on a database migrated by a newer build, with the message', async () => {
      const opened = await target.open();
      const cwd = await mkdtemp(join(tmpdir(), 'gatehouse-start-'));
      try {
        await recordFutureMigration(opened.database.db);
        const { code, output } = await runTsx(join(repoRoot, 'apps/bff/src/main.ts'), {
          cwd,
          env: {
            ...devDefaults({
              issuer: 'http://127.0.0.1:9/tenant/v2.0',
              sharepointBaseUrl: 'http://127.0.0.1:9',
            }),
            DATABASE_URL: opened.url,
            PORT: '39187',
            HOST: '127.0.0.1',
          },
        });
        expect(code).toBe(1);
        expect(output).toContain(
          `Gatehouse BFF failed to start: ${new DatabaseNewerError([FUTURE]).message}`,
        );
        expect(output).not.toContain('listening');
      } finally {
        await opened.cleanup();
        await rm(cwd, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
