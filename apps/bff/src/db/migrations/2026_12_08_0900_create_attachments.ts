import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration is frozen in time, typed against no app schema.
type AnyDatabase = Kysely<any>;

// Frozen: never edit after release, never import app code. Timestamps are epoch ms (bigint).
// Attachments (bytes under ATTACHMENTS_DIR, a row once they are complete) and the jobs that fetch
// them from SharePoint, with per-file state, so any instance can report or cancel a job.
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('source_drive_id', 'text')
    .addColumn('source_item_id', 'text')
    .execute();
  await db.schema
    .createIndex('attachments_conversation_created_idx')
    .on('attachments')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('attachment_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  // Recovery looks for unfinished jobs.
  await db.schema.createIndex('attachment_jobs_state_idx').on('attachment_jobs').columns(['state']).execute();

  await db.schema
    .createTable('attachment_job_files')
    .addColumn('job_id', 'text', (c) => c.notNull().references('attachment_jobs.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('drive_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bytes_done', 'bigint', (c) => c.notNull())
    .addColumn('bytes_total', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('attachment_id', 'text', (c) => c.notNull().unique())
    .addPrimaryKeyConstraint('attachment_job_files_pkey', ['job_id', 'position'])
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable('attachment_job_files').execute();
  await db.schema.dropTable('attachment_jobs').execute();
  await db.schema.dropTable('attachments').execute();
}
