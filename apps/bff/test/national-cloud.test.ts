/**
 * Sovereign clouds end to end, offline: the emulator on a free port presents itself as Microsoft Entra
 * for US Government (issuer on https://login.microsoftonline.us), and the BFF is configured like a
 * GCC High deployment (OPENID_ISSUER on that host, GRAPH_BASE_URL unset). EMULATOR_HOST_MAP sends the
 * BFF's requests for the national hosts to the emulator's port: discovery, the token endpoint and
 * Microsoft Graph at the Graph host derived from the issuer's cloud. The emulator refuses Graph scopes
 * on graph.microsoft.com in that cloud, so a sign-in and a Graph call only work if the BFF derived
 * the cloud right.
 */
import { Writable } from 'node:stream';
import { devDefaults, loadConfig } from '@gatehouse/config';
import { csrfHeader, routes, sharingRoutes } from '@gatehouse/contracts';
import { DEMO_PASSWORD, type RunningEmulator, startEmulator } from '@gatehouse/entra-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { type OpenedTestDatabase, testDatabases } from '../src/db/test-databases';
import { createAppDeps } from '../src/deps';
import { createLogger } from '../src/http/logger';
import { createBrowser } from './browser';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const APP = 'http://localhost:3080';
const LOGIN_US = 'https://login.microsoftonline.us';

let emulator: RunningEmulator;
let database: OpenedTestDatabase;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, baseUrl: LOGIN_US, cloud: 'usgov-high' });
  database = await (await testDatabases({ GATEHOUSE_TEST_DB: 'sqlite' }))[0]!.open();
});

afterEach(() => {
  emulator.control.reset();
});

afterAll(async () => {
  await emulator?.close();
  await database?.cleanup();
});

/** A GCC High configuration of the emulator's demo app; `changes` over it (undefined removes). */
function setup(changes: Record<string, string | undefined> = {}) {
  const env: Record<string, string | undefined> = {
    ...devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl }),
    DOMAIN_SERVER: APP,
    NODE_ENV: 'development',
    // Not the published development secret: that one is refused with an issuer on a public host.
    OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
    GRAPH_BASE_URL: undefined,
    EMULATOR_HOST_MAP: `login.microsoftonline.us=${emulator.url},graph.microsoft.us=${emulator.url}`,
    ...changes,
  };
  const config = loadConfig(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >,
  );
  const log = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  // No `fetch` passed: the BFF's own outbound fetch, with the host map, reaches the emulator's port.
  const deps = createAppDeps({ config, database: database.database, log, discovery: { retryDelayMs: 0 } });
  const app = createApp(deps);
  // The browser reaches the emulator in-process, by its public origin.
  const browser = createBrowser({
    appOrigin: APP,
    handlers: { [APP]: async (r) => app.request(r), [LOGIN_US]: emulator.fetch },
  });
  return { config, deps, browser };
}

const api = (browser: ReturnType<typeof setup>['browser'], path: string) =>
  browser.api(path, { headers: { [csrfHeader.name]: csrfHeader.value } });

async function signIn(browser: ReturnType<typeof setup>['browser'], user: string) {
  const page = await browser.navigate(`${APP}${routes.login}`);
  expect(new URL(page.url).origin).toBe(LOGIN_US);
  const done = await browser.submitForm(page, { loginfmt: user, passwd: DEMO_PASSWORD });
  expect(new URL(done.url).origin).toBe(APP);
}

const graphCalls = () => {
  const { graph, graphBatched } = emulator.control.counters();
  return { ...graph, ...graphBatched };
};

describe('a US Government (GCC High) configuration against the emulator as that cloud', () => {
  it("derives the cloud's Graph from the issuer, and signs in, reads /me and searches people through it", async () => {
    const { config, deps, browser } = setup();
    expect(config.cloud.cloud.id).toBe('usgov-high');
    expect(config.GRAPH_BASE_URL).toBe('https://graph.microsoft.us/v1.0');
    expect(config.graphResource).toBe('https://graph.microsoft.us');
    expect(deps.graphResource.scope).toContain('https://graph.microsoft.us/User.Read');

    expect(await deps.oidc.start()).toBe(true);
    expect(deps.oidc.status()).toMatchObject({
      ready: true,
      issuer: `${LOGIN_US}/${emulator.seed.tenant.id}/v2.0`,
    });
    await signIn(browser, 'megan@contoso.test');
    expect((await api(browser, routes.session)).status).toBe(200);

    // /me through the derived Graph host (the photo of the signed-in user).
    const before = graphCalls()['/v1.0/me/photo/$value'] ?? 0;
    await api(browser, '/api/me/photo');
    expect(graphCalls()['/v1.0/me/photo/$value'] ?? 0).toBe(before + 1);

    const people = await api(browser, `${sharingRoutes.search}?q=adele`);
    expect(people.status).toBe(200);
    const body = (await people.json()) as { partial: boolean; results: { name: string }[] };
    expect(body.partial).toBe(false);
    expect(body.results.map((result) => result.name)).toContain('Adele Vance');
  });

  it('refuses to sign anyone in when the metadata says DoD and the configuration GCC High, and works once GRAPH_BASE_URL says DoD', async () => {
    emulator.control.setCloud('usgov-dod');
    const wrong = setup();
    expect(await wrong.deps.oidc.start()).toBe(false);
    expect(wrong.deps.oidc.status().error).toMatch(
      /metadata says Microsoft Entra for US Government \(DoD\).*configuration is for Microsoft Entra for US Government \(GCC High\).*Set GRAPH_BASE_URL=https:\/\/dod-graph\.microsoft\.us\/v1\.0/,
    );
    const page = await wrong.browser.navigate(`${APP}${routes.login}`);
    expect(new URL(page.url).origin).toBe(APP); // never sent to the provider

    const right = setup({
      GRAPH_BASE_URL: 'https://dod-graph.microsoft.us/v1.0',
      EMULATOR_HOST_MAP: `login.microsoftonline.us=${emulator.url},dod-graph.microsoft.us=${emulator.url}`,
    });
    expect(right.config.graphResource).toBe('https://dod-graph.microsoft.us');
    expect(await right.deps.oidc.start()).toBe(true);
    await signIn(right.browser, 'megan@contoso.test');
    const before = graphCalls()['/v1.0/me/photo/$value'] ?? 0;
    await api(right.browser, '/api/me/photo');
    expect(graphCalls()['/v1.0/me/photo/$value'] ?? 0).toBe(before + 1);
  });
});
