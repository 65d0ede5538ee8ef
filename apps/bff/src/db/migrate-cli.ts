/**
 * `pnpm run migrate` (and `node dist/migrate.js` in the production image): brings the database up to
 * date without starting the server, or with `--status` says where it stands. Reads `DATABASE_URL`
 * the way main.ts does (`.env` in the working directory, the process environment wins) and nothing
 * else: a migration job needs the database's credentials, not the provider's.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  checkConfig,
  type DatabaseConfig,
  formatIssue,
  isEntryPoint,
  readEnvFile,
  readVariable,
} from '@gatehouse/config';
import { createDatabase, type DatabaseHandle } from './connect';
import {
  DatabaseNewerError,
  type MigrateOptions,
  MigrationError,
  type MigrationStatus,
  migrateToLatest,
  readMigrationStatus,
} from './migrate';
import { migrations } from './migrations';
import { ping } from './ping';

const usage = `Usage: pnpm run migrate [--status]

Applies this build's pending database migrations to the database named by DATABASE_URL (from ./.env
and the process environment, which wins), without starting the server. The server applies them at
start-up as well; run this first to migrate before rolling out (docs/operations.md).

Options:
  --status  list applied and pending migrations; change nothing
  --help    show this text

Exit status: 0 done or up to date; 1 DATABASE_URL is invalid, the database cannot be reached, a
migration failed (nothing of the batch is kept), or the database is newer than this build; 2 bad usage.
`;

export interface MigrateCliIo extends MigrateOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command against `io` and returns the exit status. */
export async function runMigrateCli(io: MigrateCliIo): Promise<number> {
  const args = io.argv.filter((arg) => arg !== '--');
  const unknown = args.find((arg) => !['--status', '--help', '-h'].includes(arg));
  if (unknown !== undefined) {
    io.stderr(`pnpm run migrate: unknown option ${unknown}\n\n${usage}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(usage);
    return 0;
  }

  const url = readDatabaseUrl(io);
  if (typeof url === 'string') {
    io.stderr(`pnpm run migrate: ${url}\n`);
    return 1;
  }
  const where = describe(url);
  const options: MigrateOptions = io.migrations ? { migrations: io.migrations } : {};
  const status = args.includes('--status');
  if (status && url.kind === 'sqlite' && url.path !== ':memory:' && !existsSync(url.path)) {
    // Opening it would create it: a mistyped path should not leave an empty database behind.
    const pending = Object.keys(io.migrations ?? migrations).sort();
    io.stdout(
      `${formatStatus(where, { applied: [], pending, unknown: [] })}(${url.path} does not exist yet.)\n`,
    );
    return 0;
  }
  let database: DatabaseHandle | undefined;
  try {
    try {
      database = createDatabase(url, { poolSize: 1, lockPoolSize: 1 });
      await ping(database.db, 10_000);
    } catch (error) {
      io.stderr(`pnpm run migrate: cannot reach the database (${where}): ${message(error)}\n`);
      return 1;
    }
    if (status) {
      const found = await readMigrationStatus(database.db, options);
      io.stdout(formatStatus(where, found));
      if (found.unknown.length > 0) {
        io.stderr(`${new DatabaseNewerError(found.unknown).message}\n`);
        return 1;
      }
      return 0;
    }
    const applied = await migrateToLatest(database.db, options);
    io.stdout(
      applied.length === 0
        ? `Database up to date (${where}); nothing to apply.\n`
        : `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}:\n${applied.map((name) => `  ${name}\n`).join('')}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DatabaseNewerError) {
      io.stderr(`pnpm run migrate: ${error.message}\n`);
    } else if (error instanceof MigrationError) {
      io.stderr(
        `pnpm run migrate: ${error.message}\nNothing was applied to ${where}: the batch was rolled back.\n`,
      );
    } else {
      io.stderr(`pnpm run migrate: ${where}: ${message(error)}\n`);
    }
    return 1;
  } finally {
    await database?.close();
  }
}

/** The parsed DATABASE_URL, or the reason it is wrong (the same wording the server uses). */
function readDatabaseUrl(io: MigrateCliIo): DatabaseConfig | string {
  const file = resolve(io.cwd, '.env');
  const env = { ...(existsSync(file) ? readEnvFile(file) : {}), ...io.env };
  const problems = checkConfig(env).issues.filter(
    (issue) => issue.variable === 'DATABASE_URL' && issue.severity === 'error',
  );
  const url = problems.length === 0 ? readVariable(env, 'DATABASE_URL') : undefined;
  if (url) return url.kind === 'sqlite' ? { kind: 'sqlite', path: resolve(io.cwd, url.path) } : url;
  return problems.length > 0 ? problems.map(formatIssue).join('\n') : 'DATABASE_URL could not be read.';
}

/** Where, for messages: SQLite's absolute path, or the PostgreSQL URL without its password. */
function describe(url: DatabaseConfig): string {
  if (url.kind === 'sqlite') return `SQLite ${url.path}`;
  const parsed = new URL(url.url);
  if (parsed.password) parsed.password = '***';
  return `PostgreSQL ${parsed.toString()}`;
}

function formatStatus(where: string, status: MigrationStatus): string {
  const lines = [
    `Migrations on ${where}: ${status.applied.length} applied, ${status.pending.length} pending` +
      (status.unknown.length > 0 ? `, ${status.unknown.length} unknown to this build` : ''),
    ...status.applied.map(({ name, executedAt }) => `  applied  ${name}  (${executedAt})`),
    ...status.pending.map((name) => `  pending  ${name}`),
    ...status.unknown.map((name) => `  unknown  ${name}  (applied by a newer Gatehouse build)`),
  ];
  return `${lines.join('\n')}\n`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runMigrateCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
