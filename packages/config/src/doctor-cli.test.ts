import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runDoctorCli } from './doctor-cli';

const brokenEnv = fileURLToPath(new URL('../test/fixtures/broken.env', import.meta.url));
const brokenVariables = [
  'DOMAIN_SERVER',
  'DOMAIN_CLIENT',
  'ALLOW_SOCIAL_LOGIN',
  'OPENID_CLIENT_ID',
  'OPENID_CLIENT_SECRET',
  'OPENID_ISSUER',
  'OPENID_SESSION_SECRET',
  'OPENID_SCOPE',
  'OPENID_REQUIRED_ROLE_TOKEN_KIND',
  'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
  'USE_ENTRA_ID_FOR_PEOPLE_SEARCH',
  'ENABLE_SHAREPOINT_FILEPICKER',
  'SHAREPOINT_PICKER_SHAREPOINT_SCOPE',
  'SHAREPOINT_PICKER_GRAPH_SCOPE',
  'SESSION_EXPIRY',
  'DATABASE_URL',
  'OPENID_REQUIRED_ROLES',
];

async function cli(argv: string[], env: Record<string, string> = {}, cwd = tmpdir()) {
  let stdout = '';
  let stderr = '';
  const code = await runDoctorCli({
    argv,
    env,
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    width: 100,
  });
  return { code, stdout, stderr };
}

/** The Findings section: the lines after its heading. */
const findings = (stdout: string) => stdout.slice(stdout.indexOf('Findings'));

describe('pnpm run doctor', () => {
  it('lists every problem of a broken .env and exits 1', async () => {
    const { code, stdout } = await cli(['--env-file', brokenEnv, '--offline']);
    expect(code).toBe(1);
    for (const variable of brokenVariables)
      expect(findings(stdout)).toMatch(new RegExp(`[✖!] +${variable} `));
    expect(stdout).toContain('15 errors, 3 warnings: Gatehouse would not start.');
    expect(stdout).not.toContain('hunter2-db-password');
  });

  it('prints the findings as JSON', async () => {
    const { code, stdout } = await cli(['--env-file', brokenEnv, '--offline', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { errors: number; warnings: number; issues: { variable: string }[] };
    expect(report.errors).toBe(15);
    expect(new Set(report.issues.map((issue) => issue.variable))).toEqual(new Set(brokenVariables));
  });

  it('reads ./.env, and lets the process environment win over it, as dotenv does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-doctor-'));
    writeFileSync(join(dir, '.env'), 'PORT=not-a-port\nOPENID_CLIENT_ID=from-file\n');
    const { stdout } = await cli(['--offline'], { PORT: '8080' }, dir);
    expect(stdout).toContain(`Configuration: ${join(dir, '.env')}, overridden by the process environment.`);
    expect(stdout).toMatch(/PORT +environment +8080/);
    expect(stdout).toMatch(/OPENID_CLIENT_ID +\.env +from-file/);
    expect(findings(stdout)).not.toMatch(/ PORT /);
  });

  it('checks the emulator setup of `pnpm dev` with --dev', async () => {
    const { code, stdout } = await cli(
      ['--dev', '--offline'],
      {},
      mkdtempSync(join(tmpdir(), 'gatehouse-doctor-')),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /OPENID_ISSUER +dev default +http:\/\/localhost:3090\/8c25abde-3c6d-4ca1-8ffc-69c01267db6e\/v2\.0\n/,
    );
    expect(stdout).toContain('No errors, 0 warnings');
  });

  it('--dev with a certificate: no dev secret beside it, and the thumbprint shown', async () => {
    const fixture = (name: string) =>
      fileURLToPath(new URL(`../../../apps/bff/test/fixtures/client-certificate/${name}`, import.meta.url));
    const { code, stdout } = await cli(
      ['--dev', '--offline'],
      { OPENID_CLIENT_CERTIFICATE: fixture('app.crt'), OPENID_CLIENT_PRIVATE_KEY: fixture('app.key') },
      mkdtempSync(join(tmpdir(), 'gatehouse-doctor-')),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/OPENID_CLIENT_SECRET +not set/);
    expect(stdout).toMatch(/Client certificate CN=gatehouse-test-app, valid until/);
    expect(stdout).toContain('No errors, 0 warnings');
  });

  it('without a provider, says how `pnpm dev` would run and what `pnpm start` needs', async () => {
    const { code, stdout } = await cli([], {}, mkdtempSync(join(tmpdir(), 'gatehouse-doctor-')));
    expect(code).toBe(1);
    expect(stdout).toContain('No identity provider is configured.');
    expect(stdout).toContain('pnpm run doctor --dev');
  });

  it('refuses unknown options and missing files with exit code 2', async () => {
    const unknown = await cli(['--fix']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --fix');
    expect(unknown.stderr).toContain('Usage: pnpm run doctor');
    const missing = await cli(['--env-file', '/nonexistent/.env']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/.env does not exist');
  });

  it('runs as a script, the way `pnpm run doctor` starts it', async () => {
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const run = promisify(execFile);
    const failure = await run(tsx, ['src/doctor-cli.ts', '--env-file', brokenEnv, '--offline'], {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '' },
    }).catch((caught: { code: number; stdout: string }) => caught);
    expect('code' in failure ? failure.code : 0).toBe(1);
    expect(failure.stdout).toContain('15 errors, 3 warnings: Gatehouse would not start.');
  }, 30_000);
});
