import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '@gatehouse/config';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database';

export type DatabaseUrl = Config['DATABASE_URL'];

interface HandleBase {
  db: Kysely<Database>;
  /** Closes every connection (both pools on PostgreSQL). Idempotent. */
  close(): Promise<void>;
}

export interface SqliteHandle extends HandleBase {
  dialect: 'sqlite';
  /** Absolute path of the database file (or `:memory:`). */
  path: string;
  /**
   * The better-sqlite3 connection under `db`, for the few hot reads worth a cached prepared
   * statement (Kysely compiles and prepares each query anew: ~30 µs against ~5 µs). Reads only.
   */
  sqlite: SqliteDatabase.Database;
}

export interface PostgresHandle extends HandleBase {
  dialect: 'postgres';
  /**
   * A second, small pool that only holds refresh locks (session-level advisory locks). It is separate
   * from the query pool so that sessions waiting on, or holding, a lock while their refresh does
   * network I/O can never starve the queries that the refresh itself needs (which would deadlock).
   */
  lockPool: pg.Pool;
}

export type DatabaseHandle = SqliteHandle | PostgresHandle;

export interface CreateDatabaseOptions {
  /** PostgreSQL query pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL lock pool size: how many sessions may refresh at once per process (default 4). */
  lockPoolSize?: number;
  /** SQLite: how long a statement waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

// int8 (count(*), bigint columns) arrives as a string by default; our bigints are epoch ms, far
// below 2^53, so they are numbers. Set per pool, never on pg's global type registry.
const INT8_OID = 20;
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens the database named by `DATABASE_URL`: SQLite through better-sqlite3 (WAL, busy timeout,
 * foreign keys; the file's folder is created) or PostgreSQL through a `pg` pool. Does not migrate:
 * call `migrateToLatest(handle.db)`.
 */
export function createDatabase(url: DatabaseUrl, options: CreateDatabaseOptions = {}): DatabaseHandle {
  if (url.kind === 'sqlite') {
    const path = url.path === ':memory:' ? url.path : resolve(url.path);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    // WAL lets readers run while one process writes; busy_timeout makes a second BFF process wait
    // for the write lock instead of failing with SQLITE_BUSY.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { dialect: 'sqlite', db, path, sqlite, close: once(() => db.destroy()) };
  }
  if (url.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: url.url, max: options.poolSize ?? 10, types: pgTypes });
    const lockPool = new pg.Pool({
      connectionString: url.url,
      max: options.lockPoolSize ?? 4,
      types: pgTypes,
      application_name: 'gatehouse-locks',
    });
    // An idle pooled client whose connection drops emits 'error' on the pool; without a listener
    // that would crash the process. The next query simply gets a fresh connection.
    pool.on('error', () => {});
    lockPool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      dialect: 'postgres',
      db,
      lockPool,
      close: once(async () => {
        await Promise.all([db.destroy(), lockPool.end()]);
      }),
    };
  }
  throw new TypeError(
    `createDatabase: unsupported DATABASE_URL kind ${JSON.stringify((url as { kind: unknown }).kind)}.`,
  );
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => {
    pending ??= fn();
    return pending;
  };
}
