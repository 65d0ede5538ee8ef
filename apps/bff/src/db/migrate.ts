import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import type { Database } from './database';
import { migrations } from './migrations';

export class MigrationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function createMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/**
 * Brings the schema up to date (main.ts at start-up, tests after opening a database). Each migration
 * runs in a transaction; Kysely's lock makes concurrent starts of several BFF instances safe.
 * Throws `MigrationError` naming the migration that failed.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return check(await createMigrator(db).migrateToLatest());
}

/** Rolls back the latest migration (for testing a migration's `down`). */
export async function migrateDown(db: Kysely<Database>): Promise<string[]> {
  return check(await createMigrator(db).migrateDown());
}

function check({ error, results = [] }: MigrationResultSet): string[] {
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `Database migration ${failed ?? '(before any migration ran)'} failed: ${message}`,
      { cause: error },
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
