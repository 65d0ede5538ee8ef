import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runTsx } from '../../test/support/run-tsx';
import { createDatabase } from './connect';
import { readMigrationStatus } from './migrate';
import { type MigrateCliIo, runMigrateCli } from './migrate-cli';
import { migrations } from './migrations';
import { type OpenedTestDatabase, testDatabases } from './test-databases';

const names = Object.keys(migrations).sort();
const targets = await testDatabases();

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'gatehouse-migrate-cli-'));
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

/** Runs the command in-process; what it printed and its exit status. */
async function cli(argv: string[], env: Record<string, string>, extra: Partial<MigrateCliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runMigrateCli({
    argv,
    env,
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...extra,
  });
  return { code, stdout, stderr };
}

for (const target of targets) {
  describe(`pnpm run migrate on ${target.name}`, { timeout: 30_000 }, () => {
    let opened: OpenedTestDatabase;
    let env: Record<string, string>;
    beforeEach(async () => {
      opened = await target.open({ migrations: {} });
      env = { DATABASE_URL: opened.url };
    });
    afterEach(() => opened.cleanup());

    it('lists what is pending, applies it, then says the database is up to date', async () => {
      const before = await cli(['--status'], env);
      expect(before.code).toBe(0);
      expect(before.stdout).toContain(`0 applied, ${names.length} pending`);
      for (const name of names) expect(before.stdout).toContain(`pending  ${name}`);
      expect((await readMigrationStatus(opened.database.db)).applied).toEqual([]); // --status changed nothing

      const first = await cli([], env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain(
        `Applied ${names.length} migrations to ${target.name === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      );
      for (const name of names) expect(first.stdout).toContain(`  ${name}\n`);
      expect((await readMigrationStatus(opened.database.db)).pending).toEqual([]);

      const second = await cli([], env);
      expect(second).toMatchObject({ code: 0, stderr: '' });
      expect(second.stdout).toMatch(/^Database up to date \(.*\); nothing to apply\.\n$/);

      const after = await cli(['--status'], env);
      expect(after.stdout).toContain(`${names.length} applied, 0 pending`);
    });

    it('never prints the PostgreSQL password', async () => {
      const { stdout } = await cli(['--status'], env);
      const password = target.name === 'postgres' ? new URL(env.DATABASE_URL ?? '').password : '';
      if (password) expect(stdout).not.toContain(`:${password}@`);
      expect(stdout).toMatch(
        target.name === 'postgres' ? /PostgreSQL postgres:\/\/[^:]+:\*\*\*@/ : /SQLite \//,
      );
    });

    it('exits 1 naming the migration that failed, and applies nothing of the batch', async () => {
      const failing = {
        ...migrations,
        '2099_01_01_0000_break_things': {
          up: async () => {
            throw new Error('boom');
          },
        },
      };
      const { code, stdout, stderr } = await cli([], env, { migrations: failing });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('Database migration 2099_01_01_0000_break_things failed: boom');
      expect(stderr).toContain('Nothing was applied');
      expect((await readMigrationStatus(opened.database.db)).applied).toEqual([]);
    });

    it('refuses a database migrated by a newer build, and --status says which migrations', async () => {
      await cli([], env);
      const olderBuild = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name !== names.at(-1)),
      );
      const refused = await cli([], env, { migrations: olderBuild });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`this Gatehouse build does not know: ${names.at(-1)}.`);
      expect(refused.stderr).toContain('deploy the newer build or restore a backup');

      const status = await cli(['--status'], env, { migrations: olderBuild });
      expect(status.code).toBe(1);
      expect(status.stdout).toContain(`unknown  ${names.at(-1)}  (applied by a newer Gatehouse build)`);
    });
  });
}

describe('pnpm run migrate configuration', () => {
  it('reads DATABASE_URL from .env in the working directory, and the environment wins', async () => {
    await writeFile(join(cwd, '.env'), 'DATABASE_URL=sqlite:./from-dotenv.db\nOPENID_ISSUER=not a url\n');
    const fromFile = await cli([], {});
    // Only DATABASE_URL has to be valid: a migration job needs no provider settings.
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain(`SQLite ${join(cwd, 'from-dotenv.db')}`);

    const fromEnv = await cli(['--status'], { DATABASE_URL: 'sqlite:./from-env.db' });
    expect(fromEnv.stdout).toContain(
      `SQLite ${join(cwd, 'from-env.db')}: 0 applied, ${names.length} pending`,
    );
  });

  it('--status does not create a SQLite file that is not there', async () => {
    const { code, stdout } = await cli(['--status'], { DATABASE_URL: 'sqlite:./typo/gatehouse.db' });
    expect(code).toBe(0);
    expect(stdout).toContain(`0 applied, ${names.length} pending`);
    expect(stdout).toContain(`${join(cwd, 'typo/gatehouse.db')} does not exist yet.`);
    expect(existsSync(join(cwd, 'typo'))).toBe(false);
  });

  it('exits 1 with the reason and the fix when DATABASE_URL is wrong', async () => {
    const { code, stdout, stderr } = await cli([], { DATABASE_URL: 'mongodb://localhost/librechat' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^pnpm run migrate: DATABASE_URL: is "mongodb:\/\/localhost\/librechat", neither sqlite:<path> nor a postgres:\/\/ URL\. Fix: /,
    );
  });

  it('exits 1 when the database cannot be reached, without the password', async () => {
    const { code, stderr } = await cli(['--status'], {
      DATABASE_URL: 'postgres://gatehouse:s3cret@127.0.0.1:1/gatehouse',
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'cannot reach the database (PostgreSQL postgres://gatehouse:***@127.0.0.1:1/gatehouse)',
    );
    expect(stderr).not.toContain('s3cret');
  });

  it('exits 2 on an unknown option, and prints its usage on --help', async () => {
    const bad = await cli(['--down'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option --down');
    const help = await cli(['--help'], {});
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: pnpm run migrate [--status]');
  });
});

describe('pnpm run migrate as processes on sqlite', () => {
  it('two at once on one SQLite file: one applies every migration, the other finds it up to date', async () => {
    const entry = join(repoRoot, 'apps/bff/src/db/migrate-cli.ts');
    const env = { DATABASE_URL: `sqlite:${join(cwd, 'shared.db')}` };
    const runs = await Promise.all([runTsx(entry, { cwd, env }), runTsx(entry, { cwd, env })]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const outputs = runs.map((r) => r.output).sort();
    expect(outputs[0]).toMatch(/^Applied \d+ migrations to SQLite /);
    expect(outputs[1]).toContain('Database up to date');
    const handle = createDatabase({ kind: 'sqlite', path: join(cwd, 'shared.db') });
    try {
      expect((await readMigrationStatus(handle.db)).applied.map((m) => m.name)).toEqual(names);
    } finally {
      await handle.close();
    }
  }, 60_000);
});
