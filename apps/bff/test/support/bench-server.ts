/**
 * The server side of `pnpm bench` (bench/session.ts forks this file): the Entra emulator in-process,
 * the BFF as in production (SQLite file, info-level logging to a sink, all middleware) and a bare
 * Hono handler answering the same path with a body of the same shape, both on real loopback ports so
 * autocannon measures HTTP end to end. It signs a user in through the emulator's form and hands the
 * session cookie to the parent. Messages from the parent: `advance` (move the BFF clock),
 * `counters`, `cpu` (this process's CPU time so far), `resetCounters`, `stop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devDefaults, loadConfig } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';
import { createEmulator } from '@gatehouse/entra-emulator';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../src/app';
import { createDatabase } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { createAppDeps } from '../../src/deps';
import { edgeServerOptions } from '../../src/http/edge-response';
import { createLogger } from '../../src/http/logger';
import { createKyselySessionStore } from '../../src/session/kysely-session-store';
import { createTokenCipher } from '../../src/session/token-cipher';
import { createBrowser } from '../browser';

export type BenchMessage =
  | { type: 'advance'; ms: number }
  | { type: 'counters' }
  | { type: 'cpu' }
  | { type: 'resetCounters' }
  | { type: 'stop' };

export type BenchReply =
  | {
      type: 'ready';
      bffUrl: string;
      /** The same BFF with the session read cache off: what a request costs on a cache miss. */
      bffUncachedUrl: string;
      bareUrl: string;
      cookie: string;
      sessionPath: string;
    }
  | { type: 'counters'; refreshTokenGrants: number }
  | { type: 'cpu'; micros: number; userMicros: number; systemMicros: number }
  | { type: 'ok' };

const APP_ORIGIN = 'http://localhost:3080';

/** `bff`: served with the BFF's Node response class, as main.ts serves it; bare Hono without it. */
function listen(fetch: (request: Request) => Response | Promise<Response>, bff = true) {
  return new Promise<{ url: string; close(): void }>((resolve) => {
    const serverOptions = bff ? edgeServerOptions : {};
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0, serverOptions }, (info: AddressInfo) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => server.close() });
    });
  });
}

async function main() {
  const send = (reply: BenchReply) => process.send?.(reply);
  const emulator = createEmulator();
  let now = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const config = loadConfig({
    ...devDefaults({ issuer: emulator.issuer(), sharepointBaseUrl: emulator.sharepointUrl }),
    DOMAIN_SERVER: APP_ORIGIN,
    NODE_ENV: 'production',
    OPENID_SESSION_SECRET: 'a-benchmark-session-secret-that-is-long-enough-0123456789',
    DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`,
    LOG_LEVEL: 'info',
  });
  const database = createDatabase(config.DATABASE_URL);
  await migrateToLatest(database.db);
  // Production logging (one line per request, the production destination's batching), written to
  // a sink rather than the terminal.
  const log = createLogger({ level: 'info', file: '/dev/null' });
  const emulatorFetch = ((input: string | URL | Request, init?: RequestInit) =>
    emulator.fetch(new Request(input, init))) as typeof fetch;
  const deps = createAppDeps({
    config,
    database,
    log,
    fetch: emulatorFetch,
    clock: { now: () => now },
  });
  await deps.oidc.start();
  const app = createApp(deps);

  const browser = createBrowser({
    appOrigin: APP_ORIGIN,
    handlers: { [APP_ORIGIN]: async (request) => app.request(request), [emulator.baseUrl]: emulator.fetch },
    now: () => now,
  });
  // 10-minute access tokens: the concurrency case expires them by moving the BFF clock 11 minutes,
  // within the 15-minute idle timeout.
  emulator.control.setAccessTokenLifetime(10 * 60);
  const page = await browser.navigate(`${APP_ORIGIN}${routes.login}`);
  await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: 'Passw0rd!' });
  const sessionId = browser.cookies('localhost:3080')['__Host-gatehouse'];
  if (!sessionId) throw new Error('bench: the sign-in did not produce a session cookie');

  const bff = await listen(app.fetch);
  // A second instance on the same database whose every request reads the session from SQLite, as
  // happens in production for a session not used within the last second (the bench's single
  // session is always hot in the cache).
  const uncachedDeps = createAppDeps({
    config,
    database,
    log,
    fetch: emulatorFetch,
    clock: { now: () => now },
    store: createKyselySessionStore(
      {
        database,
        cipher: createTokenCipher({
          secret: config.OPENID_SESSION_SECRET,
          previousSecrets: config.OPENID_SESSION_SECRET_PREVIOUS,
        }),
        log,
      },
      { cache: false },
    ),
  });
  await uncachedDeps.oidc.start();
  const bffUncached = await listen(createApp(uncachedDeps).fetch);
  // The baseline: Hono on the same server stack, same path, a body of the same shape and size.
  const bare = new Hono();
  const body = await (
    await app.request(routes.session, { headers: { cookie: `__Host-gatehouse=${sessionId}`, 'x-csrf': '1' } })
  ).json();
  bare.get(routes.session, (c) => c.json(body));
  const baseline = await listen(bare.fetch, false);

  process.on('message', async (message: BenchMessage) => {
    switch (message.type) {
      case 'advance':
        now += message.ms;
        send({ type: 'ok' });
        break;
      case 'counters':
        send({
          type: 'counters',
          refreshTokenGrants: emulator.control.counters().token.refresh_token?.[config.OPENID_CLIENT_ID] ?? 0,
        });
        break;
      case 'cpu': {
        const usage = process.cpuUsage();
        send({
          type: 'cpu',
          micros: usage.user + usage.system,
          userMicros: usage.user,
          systemMicros: usage.system,
        });
        break;
      }
      case 'resetCounters':
        emulator.control.resetCounters();
        send({ type: 'ok' });
        break;
      case 'stop':
        bff.close();
        bffUncached.close();
        baseline.close();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
    }
  });
  send({
    type: 'ready',
    bffUrl: bff.url,
    bffUncachedUrl: bffUncached.url,
    bareUrl: baseline.url,
    cookie: `__Host-gatehouse=${sessionId}`,
    sessionPath: routes.session,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
