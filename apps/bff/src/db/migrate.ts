import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationResultSet,
  Migrator,
  SqliteAdapter,
  sql,
} from 'kysely';
import type { Database } from './database';
import { migrations as buildMigrations } from './migrations';

/**
 * Migrations are forward-only: the Migrator is handed each migration's `up` alone, so no code path
 * can run a `down` (the `down`s in the first, frozen migration files are never called). Each one stays
 * backward compatible (expand/contract, docs/operations.md), so the previous build's instances keep
 * serving during a rollout; an older build does not start on a newer database, though: going back
 * means a fixed newer build or a restored backup.
 */

export type MigrationList = Readonly<Record<string, Migration>>;

export interface MigrateOptions {
  /** The migrations this build knows (default: all of them). Tests pass a prefix to play an older build. */
  migrations?: MigrationList;
}

/** A migration failed; the whole batch was rolled back. `migrationName` is the one that failed. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly migrationName: string | undefined;

  constructor(message: string, options: { cause: unknown; migrationName?: string }) {
    super(message, { cause: options.cause });
    this.migrationName = options.migrationName;
  }
}

/** The database holds migrations this build does not know: it was migrated by a newer build. */
export class DatabaseNewerError extends Error {
  override readonly name = 'DatabaseNewerError';
  readonly unknownMigrations: readonly string[];

  constructor(unknownMigrations: readonly string[]) {
    const list = unknownMigrations.join(', ');
    super(
      `The database has ${unknownMigrations.length === 1 ? 'a migration' : 'migrations'} this Gatehouse build does not know: ${list}. ` +
        'This Gatehouse build is older than the database; deploy the newer build or restore a backup.',
    );
    this.unknownMigrations = Object.freeze([...unknownMigrations]);
  }
}

export interface MigrationStatus {
  /** Known migrations the database has run, in order, with when (ISO time, as Kysely stores it). */
  applied: { name: string; executedAt: string }[];
  /** Known migrations not run yet, in the order they will run. */
  pending: string[];
  /** Migrations the database has run that this build does not know (a newer build ran them). */
  unknown: string[];
}

/** What the database has run compared with what this build knows; reads only. */
export async function readMigrationStatus(
  db: Kysely<Database>,
  options: MigrateOptions = {},
): Promise<MigrationStatus> {
  const known = Object.keys(options.migrations ?? buildMigrations).sort();
  const executed = await readExecuted(db);
  const executedNames = new Set(executed.map((row) => row.name));
  const knownNames = new Set(known);
  return {
    applied: executed
      .filter((row) => knownNames.has(row.name))
      .map((row) => ({ name: row.name, executedAt: row.timestamp })),
    pending: known.filter((name) => !executedNames.has(name)),
    unknown: executed.filter((row) => !knownNames.has(row.name)).map((row) => row.name),
  };
}

/**
 * Brings the schema up to date (main.ts at start-up, `pnpm run migrate`, tests). Returns the names
 * it applied. All pending migrations run in one transaction under Kysely's migration lock, so
 * several instances starting at once apply them once, and a failure leaves the schema as it was.
 * Throws `DatabaseNewerError` when the database was migrated by a newer build (checked before
 * migrating, and again if Kysely refuses), `MigrationError` naming the migration that failed.
 */
export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions = {}): Promise<string[]> {
  const list = options.migrations ?? buildMigrations;
  await refuseNewerDatabase(db, list);
  try {
    return await inOneTransaction(db, async (target) =>
      check(await createMigrator(target, list).migrateToLatest()),
    );
  } catch (error) {
    // Another (newer) instance may have migrated between the check above and Kysely's lock.
    const status = await readMigrationStatus(db, { migrations: list }).catch(() => undefined);
    if (status && status.unknown.length > 0) throw new DatabaseNewerError(status.unknown);
    throw error;
  }
}

async function refuseNewerDatabase(db: Kysely<Database>, list: MigrationList): Promise<void> {
  const { unknown } = await readMigrationStatus(db, { migrations: list });
  if (unknown.length > 0) throw new DatabaseNewerError(unknown);
}

function createMigrator(db: Kysely<Database>, list: MigrationList): Migrator {
  const upOnly = Object.fromEntries(Object.entries(list).map(([name, { up }]) => [name, { up }]));
  return new Migrator({ db, provider: { getMigrations: async () => upOnly } });
}

async function readExecuted(db: Kysely<Database>): Promise<{ name: string; timestamp: string }[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === DEFAULT_MIGRATION_TABLE)) return [];
  const result = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from ${sql.table(DEFAULT_MIGRATION_TABLE)} order by name`.execute(db);
  return result.rows;
}

/**
 * Kysely wraps the migrations in a transaction on PostgreSQL but not on SQLite (its adapter says
 * "no transactional DDL", which SQLite does have): there a failure half-way would leave half a
 * schema, and two processes sharing the file would race. So on SQLite the batch runs in one
 * `BEGIN IMMEDIATE` (the write lock, which a second process waits for through busy_timeout), with
 * foreign keys off as SQLite's table-rebuild procedure requires (`PRAGMA foreign_keys` is ignored
 * inside a transaction; with it on, dropping a rebuilt table would cascade), checked before commit.
 */
async function inOneTransaction<T>(
  db: Kysely<Database>,
  run: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return run(db);
  return db.connection().execute(async (conn) => {
    await sql`pragma foreign_keys = off`.execute(conn);
    try {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await run(conn);
        await checkForeignKeys(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(conn);
    }
  });
}

/** SQLite's foreign key check over the whole database, as a `MigrationError` naming the tables. */
async function checkForeignKeys(db: Kysely<Database>): Promise<void> {
  let broken: { table: string; parent: string }[];
  try {
    broken = (await sql<{ table: string; parent: string }>`pragma foreign_key_check`.execute(db)).rows;
  } catch (error) {
    // e.g. "foreign key mismatch": a rebuilt parent lost the key its children reference.
    throw new MigrationError(`Database migrations left the foreign keys unusable: ${message(error)}`, {
      cause: error,
    });
  }
  if (broken.length > 0) {
    const pairs = [...new Set(broken.map((row) => `${row.table} → ${row.parent}`))].join(', ');
    throw new MigrationError(`Database migrations left rows with broken foreign keys (${pairs})`, {
      cause: broken,
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function check({ error, results = [] }: MigrationResultSet): string[] {
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `Database migration ${failed ?? '(before any migration ran)'} failed: ${message}`,
      {
        cause: error,
        ...(failed ? { migrationName: failed } : {}),
      },
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
