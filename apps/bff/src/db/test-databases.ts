import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { upsertUser } from '../users/user-repository';
import { type CreateDatabaseOptions, createDatabase, type DatabaseHandle, type DatabaseUrl } from './connect';
import { type MigrationList, migrateToLatest } from './migrate';

/**
 * The databases that repository and integration tests run on, like Kysely's `DIALECTS` list:
 *
 *   for (const target of await testDatabases()) describe(target.name, () => { … });
 *
 * `GATEHOUSE_TEST_DB` (comma list of `sqlite`, `postgres`) picks them. Unset: SQLite, plus PostgreSQL
 * when a server answers at `GATEHOUSE_TEST_PG_URL` (default
 * `postgres://gatehouse:gatehouse@localhost:5432/postgres`, a role with CREATEDB). PostgreSQL that was
 * asked for (by `GATEHOUSE_TEST_DB` or by setting `GATEHOUSE_TEST_PG_URL`) but does not answer fails
 * the run instead of being skipped quietly.
 */
export type TestDialect = 'sqlite' | 'postgres';

export interface OpenedTestDatabase {
  /** Migrated (to `OpenTestDatabaseOptions.migrations`), empty. */
  database: DatabaseHandle;
  /** Another handle on the same database, as a second BFF process would have (closed by cleanup). */
  openAnother(): DatabaseHandle;
  /** Its `DATABASE_URL`, for a process of its own. */
  url: string;
  /** Closes every handle and deletes the database (file or `gatehouse_test_*` database). */
  cleanup(): Promise<void>;
}

export interface OpenTestDatabaseOptions {
  /** Migrate with these (an older build's list) instead of all; `{}` leaves the database empty. */
  migrations?: MigrationList;
}

export interface TestDatabase {
  name: TestDialect;
  open(options?: OpenTestDatabaseOptions): Promise<OpenedTestDatabase>;
}

export const DEFAULT_TEST_PG_URL = 'postgres://gatehouse:gatehouse@localhost:5432/postgres';

export async function testDatabases(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<TestDatabase[]> {
  const adminUrl = env.GATEHOUSE_TEST_PG_URL || DEFAULT_TEST_PG_URL;
  const requested = (env.GATEHOUSE_TEST_DB ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of requested) {
    if (name !== 'sqlite' && name !== 'postgres') {
      throw new TypeError(`GATEHOUSE_TEST_DB: unknown database "${name}"; use sqlite, postgres or both.`);
    }
  }
  const wantSqlite = requested.length === 0 || requested.includes('sqlite');
  const pgDemanded =
    requested.includes('postgres') || (requested.length === 0 && !!env.GATEHOUSE_TEST_PG_URL);
  const pgWanted = requested.length === 0 || requested.includes('postgres');

  const list: TestDatabase[] = [];
  if (wantSqlite) list.push({ name: 'sqlite', open: openSqlite });
  if (pgWanted) {
    const problem = await probePostgres(adminUrl);
    if (!problem) list.push({ name: 'postgres', open: (options) => openPostgres(adminUrl, options) });
    else if (pgDemanded) {
      throw new Error(
        `PostgreSQL tests were requested but ${redact(adminUrl)} does not answer (${problem}). ` +
          "Start the server and create the role (CREATE ROLE gatehouse LOGIN PASSWORD 'gatehouse' CREATEDB), " +
          'or set GATEHOUSE_TEST_DB=sqlite.',
      );
    }
  }
  return list;
}

const probes = new Map<string, Promise<string | undefined>>();

/** undefined when the server answers, else the reason. One probe per URL per test process. */
function probePostgres(adminUrl: string): Promise<string | undefined> {
  let probe = probes.get(adminUrl);
  if (!probe) {
    probe = (async () => {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1500 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      } finally {
        await client.end().catch(() => {});
      }
    })();
    probes.set(adminUrl, probe);
  }
  return probe;
}

async function openSqlite(options: OpenTestDatabaseOptions = {}): Promise<OpenedTestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-test-'));
  return openMigrated({ kind: 'sqlite', path: join(dir, 'gatehouse.db') }, {}, options, () =>
    rm(dir, { recursive: true, force: true }),
  );
}

async function openPostgres(
  adminUrl: string,
  options: OpenTestDatabaseOptions = {},
): Promise<OpenedTestDatabase> {
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return openMigrated(
    { kind: 'postgres', url: target.toString() },
    { poolSize: 5, lockPoolSize: 4 },
    options,
    () => dropDatabase(adminUrl, name),
  );
}

/**
 * `WITH (FORCE)` ends other sessions, but an autovacuum worker that starts in between can still make
 * the drop fail (without pg_signal_backend, or as "being accessed by other users"): try a few times.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** Opens and migrates a fresh database; `cleanup` closes every handle, then removes the storage. */
async function openMigrated(
  url: DatabaseUrl,
  options: CreateDatabaseOptions,
  { migrations }: OpenTestDatabaseOptions,
  removeStorage: () => Promise<unknown>,
): Promise<OpenedTestDatabase> {
  const handles: DatabaseHandle[] = [];
  const openAnother = () => {
    const handle = createDatabase(url, options);
    handles.push(handle);
    return handle;
  };
  const database = openAnother();
  if (!migrations) await migrateToLatest(database.db);
  else if (Object.keys(migrations).length > 0) await migrateToLatest(database.db, { migrations });
  return {
    database,
    openAnother,
    url: url.kind === 'sqlite' ? `sqlite:${url.path}` : url.url,
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
      await removeStorage();
    },
  };
}

/** A user row that test sessions can belong to (sessions reference users); returns its id. */
export async function insertTestUser(database: DatabaseHandle): Promise<string> {
  const user = await upsertUser(
    database.db,
    {
      issuer: 'https://login.example',
      subject: randomBytes(12).toString('hex'),
      name: 'Test User',
      email: 'test@example.test',
      username: 'test',
    },
    0,
  );
  return user.id;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'GATEHOUSE_TEST_PG_URL';
  }
}
