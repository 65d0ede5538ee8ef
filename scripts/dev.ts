/**
 * `pnpm dev`: the whole product on one machine, with hot reload.
 *
 *   browser ── http://localhost:3080 (Vite, SPA with HMR) ──/api, /oauth──▶ BFF on PORT+1 (tsx watch)
 *                                                                         └─▶ Entra emulator on 3090
 *
 * The emulator is started (in this process) when no real tenant is configured: `OPENID_ISSUER` unset,
 * or pointing at the emulator's own address. The BFF gets the dev defaults of `@gatehouse/config`
 * for every variable that `.env` and the process environment leave unset.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkConfig, DEMO, devDefaults, readEnvFile, readVariable } from '@gatehouse/config';
import { contosoSeed, startEmulator } from '@gatehouse/entra-emulator';

const root = resolve(import.meta.dirname, '..');
const envFile = resolve(root, '.env');
// As dotenv does: the process environment wins over the file.
const env: Record<string, string> = {
  ...(existsSync(envFile) ? readEnvFile(envFile) : {}),
  ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >),
};

const appPort = Number(env.PORT ?? 3080);
const bffPort = appPort + 1;
const emulatorPort = Number(env.EMULATOR_PORT ?? 3090);
const emulatorOrigin = `http://localhost:${emulatorPort}`;
const wantsEmulator = !env.OPENID_ISSUER || env.OPENID_ISSUER.startsWith(emulatorOrigin);

const children: ChildProcess[] = [];
let stopping = false;

async function main() {
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (wantsEmulator) {
    // A certificate in .env is registered on the demo app, so certificate credentials work offline too.
    const certificate = readVariable(env, 'OPENID_CLIENT_CERTIFICATE');
    emulator = await startEmulator({
      port: emulatorPort,
      host: 'localhost',
      sharepointUrl: `http://127.0.0.1:${Number(env.EMULATOR_SHAREPOINT_PORT ?? 3091)}`,
      ...(certificate ? { seed: withDemoCertificate(certificate.pem) } : {}),
    });
    const defaults = devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl });
    for (const [key, value] of Object.entries(defaults)) {
      if (certificate && key === 'OPENID_CLIENT_SECRET') continue; // one credential only
      if (!env[key]) env[key] = value;
    }
    env.GATEHOUSE_EMULATOR = 'true';
  }
  env.DOMAIN_SERVER ??= `http://localhost:${appPort}`;
  env.DOMAIN_CLIENT ??= env.DOMAIN_SERVER;
  env.NODE_ENV ??= 'development';

  // Fail here, with every problem listed, rather than in a restarting child.
  const { issues } = checkConfig(env);
  const errors = issues.filter((i) => i.severity === 'error');
  for (const issue of issues) {
    console.error(
      `${issue.severity === 'error' ? '✖' : '!'} ${issue.variable}: ${issue.problem} — ${issue.fix}`,
    );
  }
  if (errors.length > 0) {
    await emulator?.close();
    process.exit(1);
  }

  const bffEnv = { ...env, PORT: String(bffPort), HOST: 'localhost' };
  children.push(
    run('bff', 'pnpm', ['exec', 'tsx', 'watch', '--clear-screen=false', 'apps/bff/src/main.ts'], bffEnv),
    run(
      'web',
      'pnpm',
      ['--filter', '@gatehouse/web', 'exec', 'vite', '--port', String(appPort), '--strictPort'],
      {
        ...env,
        GATEHOUSE_BFF_URL: `http://localhost:${bffPort}`,
      },
    ),
  );

  const lines = [
    '',
    `  Gatehouse is starting at ${env.DOMAIN_SERVER}`,
    emulator
      ? `  Entra emulator: ${emulator.issuer}  (client ${DEMO.clientId})`
      : `  Identity provider: ${env.OPENID_ISSUER}`,
  ];
  if (emulator) {
    lines.push('  Demo users (password Passw0rd!):');
    for (const user of contosoSeed.users.slice(0, 3)) {
      lines.push(`    ${user.userPrincipalName.padEnd(22)} ${user.displayName}${describeUser(user)}`);
    }
    lines.push(`    … and ${contosoSeed.users.length - 3} more in the Contoso directory`);
  }
  console.log(lines.join('\n'), '\n');

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The demo tenant with `pem` registered on Gatehouse's app (beside its secret). */
function withDemoCertificate(pem: string): typeof contosoSeed {
  return {
    ...contosoSeed,
    applications: contosoSeed.applications.map((app) =>
      app.clientId === DEMO.clientId ? { ...app, certificates: [...(app.certificates ?? []), pem] } : app,
    ),
  };
}

function describeUser(user: (typeof contosoSeed.users)[number]): string {
  const upn = user.userPrincipalName;
  if (upn.startsWith('adele@')) return ` — has the ${DEMO.requiredRole} role`;
  if (upn.startsWith('alex@')) return ' — no app role: is refused';
  if (upn.startsWith('megan@')) return ' — 250 groups (groups overage)';
  return '';
}

function run(name: string, command: string, args: string[], childEnv: Record<string, string>) {
  const child = spawn(command, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) out.write(`${prefix}${line}\n`);
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${prefix}exited with code ${code}; stopping.`);
      process.kill(process.pid, 'SIGTERM');
    }
  });
  return child;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
