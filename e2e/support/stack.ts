import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devDefaults } from '@gatehouse/config';
import {
  contosoSeed,
  GATEHOUSE_CLIENT_ID,
  type RunningEmulator,
  type Seed,
  startEmulator,
} from '@gatehouse/entra-emulator';

const root = resolve(import.meta.dirname, '..', '..');

export interface Stack {
  appUrl: string;
  /** The BFF's process id (the bench reads its resident memory). */
  bffPid: number;
  emulator: RunningEmulator;
  close(): Promise<void>;
}

/**
 * What a user would run: the Entra emulator, and the production BFF bundle (`apps/bff/dist`)
 * serving the built SPA (`apps/web/dist`), each on a free port. The BFF's redirect URI is registered
 * in a copy of the Contoso seed, so nothing depends on port 3080 being free. Used by the e2e tests'
 * global setup and by `pnpm bench`.
 */
export async function startStack(
  options: { env?: Record<string, string>; logLevel?: string } = {},
): Promise<Stack> {
  // GATEHOUSE_E2E_WEB_DIST: a SPA build elsewhere (a build in apps/web/dist may change under a running test).
  const webDist = process.env.GATEHOUSE_E2E_WEB_DIST ?? join(root, 'apps/web/dist');
  for (const built of [join(root, 'apps/bff/dist/main.js'), join(webDist, 'index.html')]) {
    if (!existsSync(built)) {
      throw new Error(`${built} is missing: run \`pnpm build\` first (\`pnpm test:e2e\` does).`);
    }
  }

  const appPort = await freePort();
  const appUrl = `http://localhost:${appPort}`;
  const emulator = await startEmulator({ seed: withApp(contosoSeed, appUrl) });
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl }),
    // As the Dockerfile: glibc keeps freed download buffers (docs/attachments.md).
    MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
    NODE_ENV: 'production',
    DOMAIN_SERVER: appUrl,
    DOMAIN_CLIENT: appUrl,
    HOST: 'localhost',
    PORT: String(appPort),
    DATABASE_URL: `sqlite:${join(dataDir, 'gatehouse.db')}`,
    ATTACHMENTS_DIR: join(dataDir, 'attachments'),
    GATEHOUSE_WEB_DIST: webDist,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  };
  const bff = spawn(process.execPath, [join(root, 'apps/bff/dist/main.js')], {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHealth(`${appUrl}/readyz`, bff);
  } catch (error) {
    bff.kill('SIGKILL');
    await emulator.close();
    throw error;
  }

  return {
    appUrl,
    bffPid: bff.pid ?? 0,
    emulator,
    async close() {
      if (bff.exitCode === null) {
        bff.kill('SIGTERM');
        await new Promise((done) => bff.once('exit', done));
      }
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function withApp(seed: Seed, appUrl: string): Seed {
  return {
    ...seed,
    applications: seed.applications.map((app) =>
      app.clientId === GATEHOUSE_CLIENT_ID
        ? {
            ...app,
            redirectUris: [`${appUrl}/oauth/openid/callback`, `${appUrl}/`, `${appUrl}/login`],
            frontChannelLogoutUrl: `${appUrl}/oauth/openid/frontchannel-logout`,
          }
        : app,
    ),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The BFF exited with code ${child.exitCode} before it was ready.`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`The BFF was not ready at ${url} within 30 s.`);
}
