/**
 * BFF system tests in one process, like Duende's SimulatedInternet: the Entra emulator (in-process
 * fetch), one or more BFF instances (`createApp`, driven with `app.request`) on a real database, and
 * a tiny browser with a cookie jar that walks the whole sign-in through the emulator's form.
 * No ports. The BFF's clock is fake (tests move it to expire tokens); the emulator keeps real time
 * so the ID tokens it signs are current.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Config, devDefaults, loadConfig } from '@gatehouse/config';
import { csrfHeader, routes } from '@gatehouse/contracts';
import { createEmulator, DEMO_PASSWORD, type Emulator, type Seed } from '@gatehouse/entra-emulator';
import { createApp } from '../src/app';
import type { RetryOptions } from '../src/attachments/ranged-download';
import type { DatabaseHandle } from '../src/db/connect';
import { type OpenedTestDatabase, testDatabases } from '../src/db/test-databases';
import { type AppDeps, createAppDeps } from '../src/deps';
import { createLogger } from '../src/http/logger';
import type { SessionStore } from '../src/session/session-store';
import { type Browser, createBrowser, type Navigation } from './browser';

export const APP_ORIGIN = 'http://localhost:3080';

export interface Instance {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
}

export interface Harness {
  emulator: Emulator;
  config: Config;
  /** The first BFF instance (most tests need one). */
  app: Instance['app'];
  deps: AppDeps;
  store: SessionStore;
  instances: Instance[];
  /** Moves the BFF's clock (the emulator keeps real time). */
  advance(ms: number): void;
  now(): number;
  /** Every log line of every instance, as written. */
  logs: string[];
  /** Every token, code and secret the provider handed to the BFF (for leak checks). */
  secrets: Set<string>;
  /** Every response the BFF sent to a browser: status, headers and body. */
  responses: { url: string; status: number; headers: [string, string][]; body: string }[];
  newBrowser(options?: { instance?: (requestNumber: number) => number }): Browser;
  /** Walks the sign-in at the emulator; returns the navigation (ending on the SPA or an error page). */
  signIn(
    browser: Browser,
    user: string,
    options?: { returnTo?: string; tamperAuthorize?: (url: URL) => void; password?: string },
  ): Promise<Navigation>;
  /** ATTACHMENTS_DIR of every instance (a temporary directory, removed by close). */
  attachmentsDir: string;
  /**
   * Another BFF process on the same database and attachments directory, as after a restart: its
   * start-up recovery runs (every unfinished job, as with SQLite's one process, unless told otherwise).
   */
  startInstance(options?: { everyUnfinished?: boolean }): Promise<Instance>;
  /** An `/api/*` call as the SPA makes it (with X-CSRF: 1). */
  api(browser: Browser, path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Variables over the dev defaults (the emulator's demo app, role Gatehouse.User from the ID token). */
  env?: Record<string, string>;
  /** How many BFF instances share the database (default 1). */
  instances?: number;
  /** 'sqlite' (default) or 'postgres'. */
  database?: 'sqlite' | 'postgres';
  /** Replaces the emulator's fetch as seen by the BFF (to tamper with provider responses). */
  providerFetch?: (emulator: Emulator) => (request: Request) => Promise<Response>;
  /** The emulator's directory and app registrations (default: the Contoso demo tenant). */
  seed?: Seed;
  /**
   * Where the emulator answers (default `http://localhost:3090`). `https://login.microsoftonline.com`
   * lets openid-client treat it as Entra (its `{tenantid}` template issuer on `organizations`).
   */
  emulatorBaseUrl?: string;
  /** Sign-in rate limit per client (default 1000 a minute: out of the way of other tests). */
  signInRateLimit?: { limit: number; windowMs: number };
  /** Download retries of attachment jobs (default: 5 ms backoff, so tests do not wait). */
  attachmentRetry?: RetryOptions;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = createEmulator({
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.emulatorBaseUrl ? { baseUrl: options.emulatorBaseUrl } : {}),
  });
  let now = Date.now();
  const clock = { now: () => now };
  const env = {
    ...devDefaults({ issuer: emulator.issuer(), sharepointBaseUrl: emulator.sharepointUrl }),
    DOMAIN_SERVER: APP_ORIGIN,
    NODE_ENV: 'development',
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const config = loadConfig(env);

  const opened = await openDatabase(options.database ?? 'sqlite');
  const logs: string[] = [];
  const secrets = new Set<string>(
    [config.OPENID_CLIENT_SECRET, config.OPENID_SESSION_SECRET].filter((value) => value !== undefined),
  );
  const providerFetch = options.providerFetch?.(emulator) ?? emulator.fetch;
  // The BFF's outbound fetch: records what the provider hands out, so tests can prove none of it leaks.
  const recordingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.includes('/oauth2/v2.0/token')) {
      const form = new URLSearchParams(await request.clone().text());
      for (const name of ['code', 'refresh_token', 'code_verifier', 'client_secret', 'client_assertion']) {
        const value = form.get(name);
        if (value) secrets.add(value);
      }
    }
    const response = await providerFetch(request);
    if (request.url.includes('/oauth2/v2.0/token') && response.ok) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof body[name] === 'string') secrets.add(body[name] as string);
      }
    }
    return response;
  }) as typeof fetch;

  const instances: Instance[] = [];
  const attachmentsDir = await mkdtemp(join(tmpdir(), 'gatehouse-attachments-'));
  async function makeInstance(database: DatabaseHandle): Promise<Instance> {
    const log = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    const deps = createAppDeps({
      config,
      database,
      log,
      fetch: recordingFetch,
      clock,
      discovery: { retryDelayMs: 0 },
      signInRateLimit: options.signInRateLimit ?? { limit: 1000, windowMs: 60_000 },
      attachmentsDir,
      attachmentRetry: options.attachmentRetry ?? { baseDelayMs: 5, maxDelayMs: 20 },
    });
    await deps.oidc.start();
    await deps.attachmentStore.ensureDir();
    const instance = { app: createApp(deps), deps };
    instances.push(instance);
    return instance;
  }
  const count = options.instances ?? 1;
  for (let i = 0; i < count; i += 1) {
    await makeInstance(i === 0 ? opened.database : opened.openAnother());
  }
  const first = instances[0]!;
  const responses: Harness['responses'] = [];

  function appHandler(pick: (requestNumber: number) => number) {
    let requests = 0;
    return async (request: Request) => {
      const instance = instances[pick(requests++) % instances.length]!;
      const response = await instance.app.request(request);
      const body = await response.clone().text();
      responses.push({ url: request.url, status: response.status, headers: [...response.headers], body });
      return response;
    };
  }

  const harness: Harness = {
    emulator,
    config,
    app: first.app,
    deps: first.deps,
    store: first.deps.store,
    instances,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
    logs,
    secrets,
    responses,

    newBrowser(browserOptions = {}) {
      return createBrowser({
        appOrigin: APP_ORIGIN,
        handlers: {
          [APP_ORIGIN]: appHandler(browserOptions.instance ?? (() => 0)),
          [emulator.baseUrl]: emulator.fetch,
        },
        now: clock.now,
      });
    },

    async signIn(browser, user, signInOptions = {}) {
      const start = new URL(routes.login, APP_ORIGIN);
      if (signInOptions.returnTo !== undefined) start.searchParams.set('returnTo', signInOptions.returnTo);
      const atProvider = (url: URL) => url.origin === emulator.baseUrl && url.pathname.endsWith('/authorize');
      const toProvider = await browser.navigate(start, { stopAt: atProvider });
      const authorize = toProvider.url;
      if (!atProvider(authorize)) return toProvider; // the BFF answered without going to the provider
      signInOptions.tamperAuthorize?.(authorize);
      const page = await browser.navigate(authorize);
      if (page.url.origin !== emulator.baseUrl) return page; // single sign-on: already back
      const afterPassword = await browser.submitForm(page, {
        loginfmt: user,
        passwd: signInOptions.password ?? DEMO_PASSWORD,
      });
      if (afterPassword.url.origin === emulator.baseUrl && /name="consent"/.test(afterPassword.body)) {
        return browser.submitForm(afterPassword, { consent: 'yes' });
      }
      return afterPassword;
    },

    attachmentsDir,

    async startInstance(startOptions = {}) {
      const instance = await makeInstance(opened.openAnother());
      await instance.deps.attachmentJobs.recover({
        everyUnfinished: startOptions.everyUnfinished ?? true,
        unreferencedFiles: true,
      });
      return instance;
    },

    api(browser, path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has(csrfHeader.name)) headers.set(csrfHeader.name, csrfHeader.value);
      return browser.api(path, { ...init, headers });
    },

    async close() {
      for (const instance of instances) instance.deps.attachmentJobs.abandon();
      await Promise.all(instances.map((instance) => instance.deps.attachmentJobs.idle()));
      await opened.cleanup();
      await rm(attachmentsDir, { recursive: true, force: true });
    },
  };
  return harness;
}

async function openDatabase(dialect: 'sqlite' | 'postgres'): Promise<OpenedTestDatabase> {
  const target = (await testDatabases({ ...process.env, GATEHOUSE_TEST_DB: dialect })).find(
    (d) => d.name === dialect,
  );
  if (!target) throw new Error(`No ${dialect} test database available.`);
  return target.open();
}

/** Whether PostgreSQL answers (the PostgreSQL variants are skipped, loudly, when it does not). */
/** How many refresh-token grants the emulator has answered for the BFF's client. */
export function refreshGrants(h: Harness): number {
  return h.emulator.control.counters().token.refresh_token?.[h.config.OPENID_CLIENT_ID] ?? 0;
}

export async function postgresAvailable(): Promise<boolean> {
  try {
    return (await testDatabases({ ...process.env, GATEHOUSE_TEST_DB: '' })).some(
      (d) => d.name === 'postgres',
    );
  } catch {
    return false;
  }
}
