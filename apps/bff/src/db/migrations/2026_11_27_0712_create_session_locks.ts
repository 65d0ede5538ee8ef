import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration is frozen in time, typed against no app schema.
type AnyDatabase = Kysely<any>;

// Frozen: never edit after release, never import app code. Used by SQLite only (PostgreSQL takes
// advisory locks); created on both so the schema is the same everywhere.
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('session_locks')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable('session_locks').execute();
}
