/**
 * The server side of bench/profile-compare.ts (forked): signs one user in through the Entra
 * emulator, then serves the BFF of each source tree given as an argument (a checkout's root
 * directory) on its own port, all on one SQLite database and that one session, beside a bare Hono
 * handler answering the session path with the same body. Messages: `cpu` (this process's CPU time).
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devDefaults, loadConfig } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';
import { createEmulator } from '@gatehouse/entra-emulator';
import { createDatabase } from '../apps/bff/src/db/connect';
import { migrateToLatest } from '../apps/bff/src/db/migrate';
import { createBrowser } from '../apps/bff/test/browser';

type Fetch = (request: Request) => Response | Promise<Response>;
// hono and its Node server are the BFF's dependencies, not the workspace root's: loaded from there,
// typed by the little this file uses.
const fromBff = createRequire(new URL('../apps/bff/package.json', import.meta.url));
const { serve } = (await import(fromBff.resolve('@hono/node-server'))) as {
  serve(
    options: { fetch: Fetch; hostname: string; port: number; serverOptions?: object },
    listening: (info: AddressInfo) => void,
  ): unknown;
};
const { Hono } = (await import(fromBff.resolve('hono'))) as {
  Hono: new () => {
    get(path: string, handler: (c: { json(body: unknown): Response }) => Response): { fetch: Fetch };
  };
};
const APP_ORIGIN = 'http://localhost:3080';
// A tree's BFF is served with its Node response class when it has one, as its main.ts does.
const listen = (fetch: Fetch, ServerResponse?: unknown) =>
  new Promise<string>((done) => {
    serve(
      {
        fetch,
        hostname: '127.0.0.1',
        port: 0,
        ...(ServerResponse ? { serverOptions: { ServerResponse } } : {}),
      },
      (info: AddressInfo) => done(`http://127.0.0.1:${info.port}`),
    );
  });

interface Tree {
  createApp(deps: unknown): { fetch: Fetch; request(request: Request): Promise<Response> };
  EdgeResponse?: unknown;
  createAppDeps(options: object): { oidc: { start(): Promise<void> } };
  createLogger(options: object): unknown;
}
const load = async (root: string): Promise<Tree> => ({
  ...(await import(join(root, 'apps/bff/src/index.ts'))),
  ...(await import(join(root, 'apps/bff/src/http/logger.ts'))),
});

const emulator = createEmulator();
const config = loadConfig({
  ...devDefaults({ issuer: emulator.issuer(), sharepointBaseUrl: emulator.sharepointUrl }),
  DOMAIN_SERVER: APP_ORIGIN,
  NODE_ENV: 'production',
  OPENID_SESSION_SECRET: 'a-benchmark-session-secret-that-is-long-enough-0123456789',
  DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'gatehouse-compare-')), 'gatehouse.db')}`,
  LOG_LEVEL: 'info',
});
const database = createDatabase(config.DATABASE_URL);
await migrateToLatest(database.db);
const fetch = ((input: string | URL | Request, init?: RequestInit) =>
  emulator.fetch(new Request(input, init))) as typeof globalThis.fetch;
const build = async (tree: Tree) => {
  // As in bench-server.ts: production logging, written to a sink.
  const log = tree.createLogger({ level: 'info', file: '/dev/null' });
  const deps = tree.createAppDeps({ config, database, log, fetch });
  await deps.oidc.start();
  return tree.createApp(deps);
};

const roots = process.argv.slice(2).map((root) => resolve(root));
const trees = await Promise.all(roots.map(load));
const apps = await Promise.all(trees.map(build));
const browser = createBrowser({
  appOrigin: APP_ORIGIN,
  handlers: { [APP_ORIGIN]: (request) => apps[0]!.request(request), [emulator.baseUrl]: emulator.fetch },
  now: () => Date.now(),
});
const page = await browser.navigate(`${APP_ORIGIN}${routes.login}`);
await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: 'Passw0rd!' });
const cookie = `__Host-gatehouse=${browser.cookies('localhost:3080')['__Host-gatehouse']}`;
const body = await (
  await apps[0]!.request(
    new Request(`${APP_ORIGIN}${routes.session}`, { headers: { cookie, 'x-csrf': '1' } }),
  )
).json();

const urls: Record<string, string> = {
  bare: await listen(new Hono().get(routes.session, (c) => c.json(body)).fetch),
};
for (const [i, app] of apps.entries()) {
  urls[process.argv[2 + i]!] = await listen(app.fetch, trees[i]!.EdgeResponse);
}
process.on('message', () => {
  const usage = process.cpuUsage();
  process.send?.({ micros: usage.user + usage.system });
});
process.send?.({ urls, cookie, sessionPath: routes.session });
