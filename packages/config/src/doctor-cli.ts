/**
 * `pnpm run doctor`: validates the environment Gatehouse would start with and prints a report.
 * Reads `.env` from the current directory (pnpm runs root scripts from the repository root) and
 * the process environment, which wins over the file, as dotenv does. Exits 1 when there is an error.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO, devDefaults } from './dev-defaults';
import { formatDoctorReport, runDoctor } from './doctor';
import { isEntryPoint } from './entry-point';
import { readEnvFile } from './env-file';
import type { Env } from './load';

const usage = `Usage: pnpm run doctor [options]

Checks the configuration Gatehouse would start with: every variable, the rules between them,
and (unless --offline) the provider's discovery document and signing keys.

Options:
  --env-file <path>  read this file instead of ./.env
  --dev              check what \`pnpm dev\` runs: the emulator's defaults fill what is unset
                     when no real tenant is configured
  --offline          do not contact the provider
  --json             print the findings as JSON
  --help             show this text
`;

export interface DoctorCliIo {
  argv: readonly string[];
  env: Env;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
  width?: number;
  color?: boolean;
}

interface CliOptions {
  envFile?: string;
  dev: boolean;
  offline: boolean;
  json: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): CliOptions | string {
  const options: CliOptions = { dev: false, offline: false, json: false, help: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--dev') options.dev = true;
    else if (arg === '--offline') options.offline = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--env-file') {
      const path = argv[++index];
      if (!path) return '--env-file needs a path';
      options.envFile = path;
    } else if (arg?.startsWith('--env-file=')) options.envFile = arg.slice('--env-file='.length);
    else if (arg !== '--') return `unknown option ${arg}`;
  }
  return options;
}

/** Runs the doctor against `io` and returns the exit code: 0 fine, 1 errors found, 2 bad usage. */
export async function runDoctorCli(io: DoctorCliIo): Promise<number> {
  const options = parseArgs(io.argv);
  if (typeof options === 'string') {
    io.stderr(`pnpm run doctor: ${options}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    io.stdout(usage);
    return 0;
  }

  const envFile = resolve(io.cwd, options.envFile ?? '.env');
  const hasFile = existsSync(envFile);
  if (options.envFile && !hasFile) {
    io.stderr(`pnpm run doctor: ${envFile} does not exist\n`);
    return 2;
  }
  const fileEnv = hasFile ? readEnvFile(envFile) : {};
  const env: Record<string, string | undefined> = { ...fileEnv };
  const sources: Record<string, string> = Object.fromEntries(
    Object.keys(fileEnv).map((name) => [name, '.env']),
  );
  for (const [name, value] of Object.entries(io.env)) {
    if (value === undefined) continue;
    env[name] = value;
    sources[name] = 'environment';
  }
  if (options.dev) applyDevDefaults(env, sources);

  const report = await runDoctor({
    env,
    sources,
    offline: options.offline,
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ errors: report.errors, warnings: report.warnings, issues: report.issues, discovery: report.discovery ?? null }, null, 2)}\n`,
    );
  } else {
    const origin = hasFile
      ? `Configuration: ${envFile}, overridden by the process environment${options.dev ? ', completed with the dev defaults' : ''}.`
      : `Configuration: the process environment (no ${envFile})${options.dev ? ', completed with the dev defaults' : ''}.`;
    io.stdout(formatDoctorReport(report, { origin, width: io.width ?? 100, color: io.color ?? false }));
  }
  return report.errors > 0 ? 1 : 0;
}

/** What `pnpm dev` (scripts/dev.ts) does when no real tenant is configured. */
function applyDevDefaults(env: Record<string, string | undefined>, sources: Record<string, string>) {
  const emulatorOrigin = `http://localhost:${env.EMULATOR_PORT ?? 3090}`;
  if (env.OPENID_ISSUER && !env.OPENID_ISSUER.startsWith(emulatorOrigin)) return;
  const defaults = devDefaults({
    issuer: `${emulatorOrigin}/${DEMO.tenantId}/v2.0`,
    sharepointBaseUrl: `http://127.0.0.1:${env.EMULATOR_SHAREPOINT_PORT ?? 3091}`,
  });
  // With a certificate, `pnpm dev` registers it on the emulator's app and leaves the secret unset.
  const hasCertificate = Boolean(env.OPENID_CLIENT_CERTIFICATE || env.OPENID_CLIENT_PRIVATE_KEY);
  for (const [name, value] of Object.entries(defaults)) {
    if (env[name] !== undefined && env[name] !== '') continue;
    if (hasCertificate && name === 'OPENID_CLIENT_SECRET') continue;
    env[name] = value;
    sources[name] = 'dev default';
  }
}

if (isEntryPoint(import.meta.url)) {
  const code = await runDoctorCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    width: process.stdout.columns ?? 100,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  process.exitCode = code;
}
