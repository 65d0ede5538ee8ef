import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from './connect';

/**
 * The schema of a database as data, for tests that compare two databases (an upgraded one with a
 * new one): tables and columns through Kysely's introspection, plus what it leaves out, read from
 * each dialect's catalog — indexes, foreign keys and each table's constraints.
 */
export interface SchemaSnapshot {
  tables: SnapshotTable[];
  /** `definition` is PostgreSQL's `indexdef`, or SQLite's columns, uniqueness, origin and DDL. */
  indexes: { table: string; name: string; definition: string }[];
  foreignKeys: SnapshotForeignKey[];
  /** PostgreSQL: each constraint's definition; SQLite: each table's `CREATE TABLE` as it now reads. */
  constraints: { table: string; name: string; definition: string }[];
}

export interface SnapshotTable {
  name: string;
  columns: SnapshotColumn[];
}

export interface SnapshotColumn {
  name: string;
  dataType: string;
  isNullable: boolean;
  hasDefaultValue: boolean;
  isAutoIncrementing: boolean;
}

export interface SnapshotForeignKey {
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: the catalogs are not part of the app's schema.
type AnyDb = Kysely<any>;

export async function readSchemaSnapshot(database: DatabaseHandle): Promise<SchemaSnapshot> {
  const db = database.db as AnyDb;
  const tables = (await db.introspection.getTables({ withInternalKyselyTables: true }))
    .map(({ name, columns }) => ({
      name,
      columns: columns.map(({ name, dataType, isNullable, hasDefaultValue, isAutoIncrementing }) => ({
        name,
        dataType,
        isNullable,
        hasDefaultValue,
        isAutoIncrementing,
      })),
    }))
    .sort((a, b) => compare(a.name, b.name));
  const catalog = database.dialect === 'sqlite' ? readSqliteCatalog(db) : readPostgresCatalog(db);
  return { tables, ...(await catalog) };
}

type FkRow = { table: string; id: string | number; parent: string; from: string; to: string | null };

async function readSqliteCatalog(db: AnyDb): Promise<Omit<SchemaSnapshot, 'tables'>> {
  const indexes = await sql<{
    table: string;
    name: string;
    unique: number;
    origin: string;
    partial: number;
    columns: string | null;
    ddl: string | null;
  }>`
    select m.tbl_name as "table", il.name as name, il."unique" as "unique", il.origin as origin,
      il.partial as partial,
      (select group_concat(c.name, ',') from (select name from pragma_index_info(il.name) order by seqno) c) as columns,
      (select sql from sqlite_master where type = 'index' and name = il.name) as ddl
    from sqlite_master m join pragma_index_list(m.name) il
    where m.type = 'table'
    order by 1, 2`.execute(db);
  const fks = await sql<FkRow>`
    select m.name as "table", fk.id as id, fk."table" as parent, fk."from" as "from", fk."to" as "to"
    from sqlite_master m join pragma_foreign_key_list(m.name) fk
    where m.type = 'table'
    order by 1, fk.id, fk.seq`.execute(db);
  const ddl = await sql<{ table: string; definition: string }>`
    select name as "table", sql as definition from sqlite_master where type = 'table' order by name`.execute(
    db,
  );
  return {
    indexes: indexes.rows.map((row) => ({
      table: row.table,
      name: row.name,
      definition: `${row.unique ? 'unique ' : ''}(${row.columns ?? ''}) origin=${row.origin}${row.partial ? ' partial' : ''}${row.ddl ? `: ${row.ddl}` : ''}`,
    })),
    foreignKeys: groupForeignKeys(fks.rows),
    constraints: ddl.rows.map((row) => ({
      table: row.table,
      name: 'create table',
      definition: row.definition,
    })),
  };
}

async function readPostgresCatalog(db: AnyDb): Promise<Omit<SchemaSnapshot, 'tables'>> {
  const indexes = await sql<{ table: string; name: string; definition: string }>`
    select tablename as "table", indexname as name, indexdef as definition
    from pg_indexes where schemaname = current_schema()
    order by 1, 2`.execute(db);
  const fks = await sql<FkRow>`
    select c.conrelid::regclass::text as "table", c.conname as id, c.confrelid::regclass::text as parent,
      a.attname as "from", af.attname as "to"
    from pg_constraint c
    cross join lateral unnest(c.conkey, c.confkey) with ordinality as k(col, parent_col, position)
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col
    join pg_attribute af on af.attrelid = c.confrelid and af.attnum = k.parent_col
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
    order by 1, 2, k.position`.execute(db);
  const constraints = await sql<{ table: string; name: string; definition: string }>`
    select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    where c.connamespace = current_schema()::regnamespace and c.conrelid <> 0
    order by 1, 2`.execute(db);
  return { indexes: indexes.rows, foreignKeys: groupForeignKeys(fks.rows), constraints: constraints.rows };
}

function groupForeignKeys(rows: FkRow[]): SnapshotForeignKey[] {
  const byKey = new Map<string, SnapshotForeignKey>();
  for (const row of rows) {
    const key = `${row.table}\u0000${row.id}`;
    let fk = byKey.get(key);
    if (!fk) {
      fk = { table: row.table, columns: [], parent: row.parent, parentColumns: [] };
      byKey.set(key, fk);
    }
    fk.columns.push(row.from);
    // SQLite leaves `to` empty for `REFERENCES parent` without columns: the parent's primary key.
    fk.parentColumns.push(row.to ?? '');
  }
  return [...byKey.values()].sort((a, b) => compare(`${a.table}.${a.columns}`, `${b.table}.${b.columns}`));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
