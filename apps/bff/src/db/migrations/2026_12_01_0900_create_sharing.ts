import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration is frozen in time, typed against no app schema.
type AnyDatabase = Kysely<any>;

// Frozen: never edit after release, never import app code. Timestamps are epoch ms (bigint).
// Conversations, their messages and grants, the audit log, local groups, the Entra principals the
// BFF resolved through Graph, and each user's last known Entra group membership.
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_conversation_created_idx')
    .on('messages')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('grants')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_source', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grants_pkey', [
      'conversation_id',
      'principal_type',
      'principal_source',
      'principal_id',
    ])
    .execute();
  // Access checks go from a principal to its conversations.
  await db.schema
    .createIndex('grants_principal_idx')
    .on('grants')
    .columns(['principal_source', 'principal_type', 'principal_id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_subject_idx')
    .on('audit_log')
    .columns(['subject_type', 'subject_id', 'at'])
    .execute();

  await db.schema
    .createTable('local_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('local_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('local_groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('local_group_members_pkey', ['group_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('local_group_members_user_idx')
    .on('local_group_members')
    .column('user_id')
    .execute();

  // What Graph said about an Entra user or group when it was last shared with (never the browser).
  await db.schema
    .createTable('entra_principals')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('entra_principals_pkey', ['type', 'id'])
    .execute();

  // A user's transitive Entra groups (and owned groups with the flag), as of `entra_memberships.resolved_at`.
  await db.schema
    .createTable('entra_memberships')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addColumn('group_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('entra_group_members')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('entra_group_members_pkey', ['user_id', 'group_id'])
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  for (const table of [
    'entra_group_members',
    'entra_memberships',
    'entra_principals',
    'local_group_members',
    'local_groups',
    'audit_log',
    'grants',
    'messages',
    'conversations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
