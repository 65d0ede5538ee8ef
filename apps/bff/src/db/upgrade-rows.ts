import type { Kysely } from 'kysely';
import type { SchemaSnapshot, SnapshotColumn } from './schema-snapshot';
import type { TestDialect } from './test-databases';

/**
 * Rows for every table of a schema at some point of the migration history, for upgrade tests.
 * Known tables get representative rows (written the way the app writes them, JSON where it keeps
 * JSON); a column or table added by a later migration is filled generically from its type, and a
 * foreign key column takes its parent's value, so a future migration is covered without a new
 * fixture. Tables are written parents first. A CHECK constraint that a generic value breaks shows
 * up as a failing insert naming the table: give that table a fixture below.
 */
export type TableRows = Map<string, Record<string, unknown>[]>;

const T = Date.UTC(2026, 10, 27, 9, 0, 0);
const DAY = 86_400_000;
const ISSUER = 'https://login.microsoftonline.com/contoso-tenant/v2.0';
// Shaped like TokenCipher output (version, iv, ciphertext, tag); the app never reads it in SQL.
const CIPHERTEXT = 'v1.k1.3q2-7w.bm90LWEtcmVhbC10b2tlbg.Z2F0ZWhvdXNl';

const fixtures: Record<string, Record<string, unknown>[]> = {
  users: [
    user('user-adele', 'sub-adele', 'Adele Vance', 'adelev@contoso.test'),
    user('user-megan', 'sub-megan', 'Megan Bowen', 'meganb@contoso.test'),
  ],
  sessions: [
    session('session-adele', 'user-adele', 'sid-adele'),
    session('session-megan', 'user-megan', null),
  ],
  session_locks: [{ session_id: 'session-adele', owner: 'lock-owner-1', expires_at: T + 30_000 }],
  conversations: [
    {
      id: 'conv-plan',
      title: 'Q1 planning',
      created_by: 'user-adele',
      created_at: T,
      updated_at: T + 60_000,
    },
  ],
  messages: [
    {
      id: 'msg-1',
      conversation_id: 'conv-plan',
      author_id: 'user-adele',
      text: 'Draft attached',
      created_at: T,
    },
    {
      id: 'msg-2',
      conversation_id: 'conv-plan',
      author_id: 'user-megan',
      text: 'Thanks!',
      created_at: T + 1,
    },
  ],
  grants: [
    grant('user', 'local', 'user-adele', 'owner'),
    grant('user', 'local', 'user-megan', 'editor'),
    grant('group', 'entra', '6b9d4e3a-0000-4000-8000-00000000a001', 'viewer'),
    grant('group', 'local', 'group-sales', 'viewer'),
  ],
  audit_log: [
    {
      id: 'audit-1',
      at: T,
      actor_id: 'user-adele',
      action: 'grants.replace',
      subject_type: 'conversation',
      subject_id: 'conv-plan',
      details: JSON.stringify({ added: [{ type: 'user', id: 'user-megan', role: 'editor' }] }),
    },
  ],
  local_groups: [
    { id: 'group-sales', name: 'Sales', description: 'Sales team', created_at: T, updated_at: T },
  ],
  local_group_members: [{ group_id: 'group-sales', user_id: 'user-megan', added_at: T }],
  entra_principals: [
    {
      type: 'group',
      id: '6b9d4e3a-0000-4000-8000-00000000a001',
      name: 'Marketing',
      email: 'marketing@contoso.test',
      resolved_at: T,
    },
    {
      type: 'user',
      id: '6b9d4e3a-0000-4000-8000-00000000b002',
      name: 'Alex Wilber',
      email: null,
      resolved_at: T,
    },
  ],
  entra_memberships: [{ user_id: 'user-adele', resolved_at: T, group_count: 1 }],
  entra_group_members: [{ user_id: 'user-adele', group_id: '6b9d4e3a-0000-4000-8000-00000000a001' }],
  attachments: [
    {
      id: 'att-1',
      conversation_id: 'conv-plan',
      name: 'Plan.docx',
      size: 12_345,
      content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      sha256: 'a'.repeat(64),
      created_by: 'user-adele',
      created_at: T,
      source_drive_id: 'b!drive-marketing',
      source_item_id: '01ITEMPLAN',
    },
  ],
  attachment_jobs: [
    {
      id: 'job-1',
      conversation_id: 'conv-plan',
      owner_id: 'user-adele',
      state: 'done',
      cancel_requested: 0,
      instance_id: 'instance-1',
      heartbeat_at: T,
      created_at: T,
      finished_at: T + 2_000,
    },
  ],
  attachment_job_files: [
    {
      job_id: 'job-1',
      position: 0,
      drive_id: 'b!drive-marketing',
      item_id: '01ITEMPLAN',
      name: 'Plan.docx',
      bytes_done: 12_345,
      bytes_total: 12_345,
      state: 'done',
      error_code: null,
      error_message: null,
      attachment_id: 'att-1',
    },
  ],
};

function user(id: string, subject: string, name: string, email: string) {
  return {
    id,
    identity_key: `entra:contoso-tenant`,
    subject,
    issuer: ISSUER,
    tenant_id: 'contoso-tenant',
    name,
    email,
    username: email,
    created_at: T,
    updated_at: T,
  };
}

function session(id: string, userId: string, sid: string | null) {
  return {
    id,
    user_id: userId,
    issuer: ISSUER,
    provider_sid: sid,
    roles: JSON.stringify(['Gatehouse.User']),
    tokens: CIPHERTEXT,
    resource_tokens: CIPHERTEXT,
    created_at: T,
    last_seen_at: T + 5_000,
    idle_expires_at: T + DAY,
    absolute_expires_at: T + 7 * DAY,
    version: 3,
  };
}

function grant(type: string, source: string, id: string, role: string) {
  return {
    conversation_id: 'conv-plan',
    principal_type: type,
    principal_source: source,
    principal_id: id,
    role,
    granted_by: 'user-adele',
    granted_at: T,
  };
}

/**
 * Inserts rows into every table of `schema` (Kysely's own tables aside) and returns them as the
 * database returned them (`RETURNING *`, so defaults and generated values are included).
 */
export async function insertUpgradeRows(
  // biome-ignore lint/suspicious/noExplicitAny: rows for whatever tables an older schema has.
  db: Kysely<any>,
  schema: SchemaSnapshot,
  dialect: TestDialect,
): Promise<TableRows> {
  const written: TableRows = new Map();
  for (const table of parentsFirst(schema)) {
    const parents = schema.foreignKeys.filter((fk) => fk.table === table.name && fk.parent !== table.name);
    const templates = fixtures[table.name] ?? [{}];
    const rows: Record<string, unknown>[] = [];
    for (const template of templates) {
      const row: Record<string, unknown> = {};
      for (const column of table.columns) {
        if (column.isAutoIncrementing) continue;
        if (column.name in template) {
          row[column.name] = template[column.name];
          continue;
        }
        const fk = parents.find((candidate) => candidate.columns.includes(column.name));
        const parentRow = fk && written.get(fk.parent)?.[0];
        row[column.name] =
          fk && parentRow
            ? parentRow[fk.parentColumns[fk.columns.indexOf(column.name)] ?? '']
            : genericValue(table.name, column, dialect);
      }
      rows.push(await db.insertInto(table.name).values(row).returningAll().executeTakeFirstOrThrow());
    }
    written.set(table.name, rows);
  }
  return written;
}

/** A value of the column's type, recognisable in a failure (`table.column`). */
function genericValue(table: string, column: SnapshotColumn, dialect: TestDialect): unknown {
  const type = column.dataType.toLowerCase();
  if (/^(int2|smallint|int4|integer|int)$/.test(type)) return 1;
  if (/^(int8|bigint)$/.test(type)) return T;
  if (/^(real|float4|float8|double)/.test(type)) return 1.5;
  if (/^(numeric|decimal)/.test(type)) return dialect === 'postgres' ? '1.5' : 1.5;
  if (/^bool/.test(type)) return dialect === 'postgres' ? true : 1;
  if (/^jsonb?$/.test(type)) return '{"generic":true}';
  if (type === 'uuid') return '00000000-0000-4000-8000-000000000001';
  if (/^(bytea|blob)$/.test(type)) return Buffer.from(`${table}.${column.name}`);
  if (/^(timestamp|date)/.test(type)) return dialect === 'postgres' ? new Date(T) : new Date(T).toISOString();
  return `${table}.${column.name}`;
}

function parentsFirst(schema: SchemaSnapshot): SchemaSnapshot['tables'] {
  const pending = schema.tables.filter((table) => !table.name.startsWith('kysely_'));
  const done = new Set<string>();
  const ordered: SchemaSnapshot['tables'] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((table) =>
      schema.foreignKeys.every(
        (fk) => fk.table !== table.name || fk.parent === table.name || done.has(fk.parent),
      ),
    );
    if (index < 0) {
      throw new Error(
        `upgrade rows: foreign keys form a cycle among ${pending.map((t) => t.name).join(', ')}`,
      );
    }
    const [table] = pending.splice(index, 1);
    if (!table) break;
    ordered.push(table);
    done.add(table.name);
  }
  return ordered;
}
