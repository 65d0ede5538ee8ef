/**
 * PROXY: every outbound call of the BFF (discovery, signing keys, token endpoint, Graph) goes
 * through the configured HTTP proxy, and NO_PROXY exempts hosts. A tiny forward proxy on a free
 * port records what it relays; the emulator listens on another free port.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { Writable } from 'node:stream';
import { devDefaults, loadConfig } from '@gatehouse/config';
import { csrfHeader, routes } from '@gatehouse/contracts';
import { DEMO_PASSWORD, type RunningEmulator, startEmulator } from '@gatehouse/entra-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { type OpenedTestDatabase, testDatabases } from '../src/db/test-databases';
import { createAppDeps } from '../src/deps';
import { createLogger } from '../src/http/logger';
import { createBrowser } from './browser';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const APP = 'http://localhost:3080';

/**
 * What the proxy relayed: `CONNECT host:port` for each tunnel, then `GET http://host:port/path` for
 * each request it carried — read from the tunnel, which is plain HTTP for an http target (undici
 * tunnels http targets too) — or from an absolute-form request.
 */
let relayed: string[] = [];
let proxy: Server;
let proxyUrl: string;
let emulator: RunningEmulator;
let database: OpenedTestDatabase;

function startProxy(): Promise<Server> {
  const server = createServer((req, res) => {
    relayed.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      new URL(req.url ?? '/'),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    relayed.push(`CONNECT ${req.url}`);
    const [host = '', port = ''] = (req.url ?? '').split(':');
    socket.on('data', (chunk: Buffer) => {
      for (const [, method, path] of chunk.toString('latin1').matchAll(/^([A-Z]+) (\/\S*) HTTP\/1\.1\r$/gm)) {
        relayed.push(`${method} http://${req.url}${path}`);
      }
    });
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  proxy = await startProxy();
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  emulator = await startEmulator({ port: 0 });
  database = await (await testDatabases({ GATEHOUSE_TEST_DB: 'sqlite' }))[0]!.open();
});

afterAll(async () => {
  await emulator?.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await database?.cleanup();
});

beforeEach(() => {
  relayed = [];
});

function setup(env: Record<string, string>) {
  const config = loadConfig({
    ...devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl }),
    DOMAIN_SERVER: APP,
    NODE_ENV: 'development',
    ...env,
  });
  const log = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  // No `fetch` passed: the BFF builds its own outbound fetch from the configuration.
  const deps = createAppDeps({ config, database: database.database, log, discovery: { retryDelayMs: 0 } });
  const app = createApp(deps);
  // The browser reaches the emulator directly (real fetch); only the BFF is behind the proxy.
  const browser = createBrowser({ appOrigin: APP, handlers: { [APP]: async (r) => app.request(r) } });
  return { deps, browser };
}

const toEmulator = () => relayed.filter((line) => line.includes(`localhost:${emulator.port}`));

describe('PROXY', () => {
  it('carries discovery, the signing keys, the token endpoint and Graph for a whole sign-in', async () => {
    const { deps, browser } = setup({ PROXY: proxyUrl });
    await deps.oidc.start();
    expect(toEmulator()).toContain(`GET ${emulator.issuer}/.well-known/openid-configuration`);

    const page = await browser.navigate(`${APP}${routes.login}`);
    expect(new URL(page.url).origin).toBe(emulator.url);
    const done = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: DEMO_PASSWORD });
    expect(new URL(done.url).origin).toBe(APP);
    const session = await browser.api(routes.session, { headers: { [csrfHeader.name]: csrfHeader.value } });
    expect(session.status).toBe(200);

    const paths = toEmulator()
      .filter((line) => !line.startsWith('CONNECT'))
      .map((line) => new URL(line.split(' ')[1]!).pathname);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/oauth2\/v2\.0\/token$/),
        expect.stringMatching(/\/discovery\/v2\.0\/keys$/),
      ]),
    );
    // Graph through the token manager's client: the photo route reaches /v1.0/me/photo.
    relayed = [];
    await browser.api('/api/me/photo', { headers: { [csrfHeader.name]: csrfHeader.value } });
    expect(toEmulator().some((line) => line.includes('/v1.0/'))).toBe(true);
  });

  it('is not used for hosts in NO_PROXY', async () => {
    const { deps } = setup({ PROXY: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' });
    await deps.oidc.start();
    expect(deps.oidc.status().ready).toBe(true);
    expect(relayed).toEqual([]);
  });

  it('is not used when unset', async () => {
    const { deps } = setup({});
    await deps.oidc.start();
    expect(relayed).toEqual([]);
  });
});
