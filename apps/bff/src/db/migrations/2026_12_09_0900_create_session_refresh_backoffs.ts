import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration is frozen in time, typed against no app schema.
type AnyDatabase = Kysely<any>;

// Frozen: never edit after release, never import app code. Additive only: a new table that an older
// build running beside this one never reads, so a rolling upgrade needs no coordination. One row per
// session whose token refresh failed recently (the provider was down or throttling); deleted with
// the session, or at the next successful refresh.
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('session_refresh_backoffs')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('retry_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable('session_refresh_backoffs').execute();
}
