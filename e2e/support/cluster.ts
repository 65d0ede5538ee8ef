/**
 * Gatehouse as it runs scaled out: N processes of the production BFF bundle (`apps/bff/dist/main.js`)
 * on one fresh PostgreSQL database and one shared attachments directory, behind nginx (Debian's
 * `/usr/sbin/nginx`, unprivileged, on a free port) configured by `deploy/nginx/gatehouse.conf`, the
 * file compose.yaml uses, with `TRUST_PROXY=1`. The Entra emulator runs in this process.
 *
 * Public API (used by e2e/tests/cluster/*.spec.ts and bench/):
 *
 *   const cluster = await startCluster({ instances: 2 });
 *   cluster.url                      nginx's URL, also DOMAIN_SERVER (http://localhost:<port>)
 *   cluster.emulator                 the running emulator (control: faults, counters, lifetimes)
 *   cluster.instances[i]             { index, pid, port, url, alive, rss(), kill(signal), exited, restart(),
 *                                      requestIdPrefix }  (url: straight to the instance, bypassing nginx)
 *   cluster.instanceOf(response)     which instance answered (the BFF's X-Request-Id starts with a random
 *                                    prefix per process), or undefined
 *   cluster.signIn('adele')          an HTTP sign-in through nginx → SignedIn { cookie, api(path, init) }
 *   cluster.database                 a Kysely handle on the cluster's database (for checks)
 *   cluster.env                      the instances' environment (DATABASE_URL, ATTACHMENTS_DIR, …)
 *   cluster.nginxAccessLog()         nginx's access lines (upstream address and status per request)
 *   cluster.instanceLog(i)           what instance i wrote to stdout/stderr
 *   await cluster.stop()             SIGTERM to every instance, nginx stopped, database dropped
 *
 * Needs `pnpm build` first, nginx at /usr/sbin/nginx (.ci/run installs it) and PostgreSQL at
 * GATEHOUSE_TEST_PG_URL (default postgres://gatehouse:gatehouse@localhost:5432/postgres).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { devDefaults } from '@gatehouse/config';
import { contosoSeed, type RunningEmulator, startEmulator } from '@gatehouse/entra-emulator';
import type { DatabaseHandle } from '../../apps/bff/src/db/connect';
import { DEFAULT_TEST_PG_URL, testDatabases } from '../../apps/bff/src/db/test-databases';
import { type Browser, createBrowser } from '../../apps/bff/test/browser';
import { freePort, waitForHealth, withApp } from './stack';

const root = resolve(import.meta.dirname, '..', '..');
export const NGINX_BIN = process.env.GATEHOUSE_NGINX ?? '/usr/sbin/nginx';
export const NGINX_CONFIG = join(root, 'deploy/nginx/gatehouse.conf');
const DEMO_PASSWORD = 'Passw0rd!';

export interface ClusterOptions {
  /** BFF processes behind nginx (default 2). */
  instances?: number;
  /** Variables over the dev defaults (emulator issuer, picker on, role required). */
  env?: Record<string, string>;
  /** The BFF's LOG_LEVEL (default `warn`; its lines go to `instanceLog(i)`). */
  logLevel?: string;
  /** nginx worker processes (default 1). */
  nginxWorkers?: number;
}

export interface Instance {
  index: number;
  pid: number;
  port: number;
  /** Straight to this instance, bypassing nginx. */
  url: string;
  readonly alive: boolean;
  /** The prefix of the request ids of the current process (how `instanceOf` knows who answered). */
  readonly requestIdPrefix: string | undefined;
  /** Resident memory in bytes (VmRSS), 0 once the process is gone. */
  rss(): number;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the current process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A new process on the same port (after a kill), ready when this resolves. */
  restart(): Promise<void>;
}

export interface SignedIn {
  user: string;
  /** The `Cookie` header of the session (for load generators). */
  cookie: string;
  /** An `/api/*` call through nginx as the SPA makes it (X-CSRF: 1, same-origin). */
  api(path: string, init?: RequestInit): Promise<Response>;
  browser: Browser;
}

export interface Cluster {
  url: string;
  emulator: RunningEmulator;
  instances: Instance[];
  instanceOf(response: Response): Instance | undefined;
  signIn(user: string): Promise<SignedIn>;
  database: DatabaseHandle;
  /** The BFF's environment (without PATH/HOME), e.g. to start a tool against the same database. */
  env: Readonly<Record<string, string>>;
  nginxAccessLog(): string[];
  instanceLog(index: number): string;
  stop(): Promise<void>;
}

/** `${NAME}` placeholders replaced as the nginx image's envsubst does, for the names given only. */
export function renderNginxConfig(template: string, values: Record<string, string>): string {
  const rendered = template.replace(/\$\{(GATEHOUSE_[A-Z0-9_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`deploy/nginx/gatehouse.conf: no value for ${whole}`);
    return value;
  });
  return rendered;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.instances ?? 2;
  if (!existsSync(NGINX_BIN)) {
    throw new Error(
      `${NGINX_BIN} is missing: install Debian's nginx (.ci/run does), or set GATEHOUSE_NGINX.`,
    );
  }
  const webDist = process.env.GATEHOUSE_E2E_WEB_DIST ?? join(root, 'apps/web/dist');
  for (const built of [join(root, 'apps/bff/dist/main.js'), join(webDist, 'index.html')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first.`);
  }

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => {});
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cluster-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const nginxPort = await freePort();
    const url = `http://localhost:${nginxPort}`;
    const emulator = await startEmulator({ seed: withApp(contosoSeed, url) });
    cleanups.push(() => emulator.close());

    const [postgres] = await testDatabases({
      GATEHOUSE_TEST_DB: 'postgres',
      GATEHOUSE_TEST_PG_URL: process.env.GATEHOUSE_TEST_PG_URL || DEFAULT_TEST_PG_URL,
    });
    if (!postgres) throw new Error('PostgreSQL is not available for the cluster.');
    const opened = await postgres.open();
    cleanups.push(() => opened.cleanup());
    if (opened.database.dialect !== 'postgres') throw new Error('expected a PostgreSQL database');
    const databaseUrl = opened.database.lockPool.options.connectionString;
    if (!databaseUrl) throw new Error('the test database has no connection string');

    const env: Record<string, string> = {
      ...devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl }),
      // As the Dockerfile: glibc keeps freed download buffers (docs/attachments.md).
      MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
      NODE_ENV: 'production',
      DOMAIN_SERVER: url,
      DOMAIN_CLIENT: url,
      HOST: '127.0.0.1',
      TRUST_PROXY: '1',
      DATABASE_URL: databaseUrl,
      ATTACHMENTS_DIR: join(dir, 'attachments'),
      GATEHOUSE_WEB_DIST: webDist,
      LOG_LEVEL: options.logLevel ?? 'warn',
      ...options.env,
    };

    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const instances = ports.map((port, index) => createInstance({ index, port, env, dir }));
    cleanups.push(() => Promise.all(instances.map((i) => i.stopNow())));
    await Promise.all(instances.map((i) => i.restart()));

    const nginx = await startNginx({
      dir,
      listen: `127.0.0.1:${nginxPort}`,
      upstreams: ports.map((port) => `127.0.0.1:${port}`),
      workers: options.nginxWorkers ?? 1,
    });
    cleanups.push(() => nginx.stop());
    // A test runner that exits without stop() (a timeout, a crash) leaves no process behind.
    const killLeftovers = () => {
      for (const instance of instances) if (instance.alive) instance.kill('SIGKILL');
      if (nginx.process.exitCode === null) nginx.process.kill('SIGKILL');
    };
    process.once('exit', killLeftovers);
    cleanups.push(() => process.off('exit', killLeftovers));
    await waitForHealth(`${url}/readyz`, nginx.process);

    return {
      url,
      emulator,
      instances,
      database: opened.database,
      env,
      instanceOf(response) {
        // An instance's ids share a random prefix; a restarted process has a new one.
        const prefix = requestIdPrefix(response);
        return prefix === undefined ? undefined : instances.find((i) => i.requestIdPrefix === prefix);
      },
      async signIn(user) {
        const browser = createBrowser({ appOrigin: url, handlers: {} });
        const login = new URL('/oauth/openid', url);
        login.searchParams.set('returnTo', '/');
        const page = await browser.navigate(login);
        if (page.url.origin !== emulator.url) {
          throw new Error(`sign-in did not reach the provider: ${page.response.status} at ${page.url.href}`);
        }
        let end = await browser.submitForm(page, { loginfmt: user, passwd: DEMO_PASSWORD });
        if (end.url.origin === emulator.url && /name="consent"/.test(end.body)) {
          end = await browser.submitForm(end, { consent: 'yes' });
        }
        const host = new URL(url).host;
        const cookies = browser.cookies(host);
        const cookie = Object.entries(cookies)
          .map(([name, value]) => `${name}=${value}`)
          .join('; ');
        if (end.url.origin !== url || !cookie) {
          throw new Error(`sign-in of ${user} ended at ${end.url.href} (${end.response.status})`);
        }
        return {
          user,
          cookie,
          browser,
          api: (path, init = {}) => {
            const headers = new Headers(init.headers);
            headers.set('x-csrf', '1');
            return browser.api(path, { ...init, headers });
          },
        };
      },
      nginxAccessLog() {
        const file = join(dir, 'logs', 'access.log');
        return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
      },
      instanceLog(index) {
        const file = join(dir, `instance-${index}.log`);
        return existsSync(file) ? readFileSync(file, 'utf8') : '';
      },
      async stop() {
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The BFF's request ids are `<random prefix per process>-<counter>`. */
function requestIdPrefix(response: Response): string | undefined {
  const id = response.headers.get('x-request-id');
  const cut = id?.lastIndexOf('-') ?? -1;
  return id && cut > 0 ? id.slice(0, cut) : undefined;
}

interface ManagedInstance extends Instance {
  stopNow(): Promise<void>;
}

function createInstance(spec: {
  index: number;
  port: number;
  env: Record<string, string>;
  dir: string;
}): ManagedInstance {
  const { index, port, dir } = spec;
  let child: ChildProcess | undefined;
  let exited: Instance['exited'] = Promise.resolve({ code: null, signal: null });
  let prefix: string | undefined;
  const logFile = join(dir, `instance-${index}.log`);

  const instance: ManagedInstance = {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child?.pid ?? 0;
    },
    get alive() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    get exited() {
      return exited;
    },
    get requestIdPrefix() {
      return prefix;
    },
    rss() {
      if (!instance.alive) return 0;
      try {
        const status = readFileSync(`/proc/${instance.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    kill(signal) {
      child?.kill(signal);
    },
    async restart() {
      if (instance.alive) throw new Error(`instance ${index} is running`);
      const log = openSync(logFile, 'a');
      const started = spawn(process.execPath, [join(root, 'apps/bff/dist/main.js')], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env, PORT: String(port) },
        stdio: ['ignore', log, log],
      });
      closeSync(log);
      child = started;
      exited = new Promise((done) => started.once('exit', (code, signal) => done({ code, signal })));
      await waitForHealth(`${instance.url}/readyz`, started);
      const response = await fetch(`${instance.url}/healthz`);
      await response.body?.cancel();
      prefix = requestIdPrefix(response);
    },
    async stopNow() {
      if (!instance.alive) return;
      const gone = exited;
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
  return instance;
}

/**
 * Writes what an unprivileged nginx needs under `dir`: the site (gatehouse.conf rendered with
 * `values`) and a top level with writable temp paths that includes it. Returns the top-level file.
 */
export function writeNginxConfig(dir: string, values: Record<string, string>, workers = 1): string {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, 'temp', temp), { recursive: true });
  }
  writeFileSync(join(dir, 'gatehouse.conf'), renderNginxConfig(readFileSync(NGINX_CONFIG, 'utf8'), values));
  const main = [
    // Run as root (CI containers), nginx would switch its workers to `nobody`, who cannot use the
    // temp directories below: keep them as the user who started it.
    ...(process.getuid?.() === 0 ? [`user ${userInfo().username};`] : []),
    `worker_processes ${workers};`,
    'events { worker_connections 4096; }',
    'http {',
    `  client_body_temp_path ${join(dir, 'temp/client_body')};`,
    `  proxy_temp_path ${join(dir, 'temp/proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'temp/fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'temp/uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'temp/scgi')};`,
    `  include ${join(dir, 'gatehouse.conf')};`,
    '}',
    '',
  ].join('\n');
  const mainFile = join(dir, 'nginx.conf');
  writeFileSync(mainFile, main);
  return mainFile;
}

/** nginx's command line for a config written by `writeNginxConfig` (no root, nothing outside `dir`). */
export function nginxArgs(dir: string, mainFile: string): string[] {
  const errorLog = join(dir, 'logs', 'error.log');
  return [
    '-p',
    dir,
    '-e',
    errorLog,
    '-c',
    mainFile,
    '-g',
    `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${errorLog} warn;`,
  ];
}

async function startNginx(spec: { dir: string; listen: string; upstreams: string[]; workers: number }) {
  const { dir } = spec;
  const mainFile = writeNginxConfig(
    dir,
    {
      GATEHOUSE_LISTEN: spec.listen,
      GATEHOUSE_UPSTREAM_SERVERS: spec.upstreams
        .map((u) => `server ${u} max_fails=1 fail_timeout=5s;`)
        .join(' '),
      GATEHOUSE_MAX_BODY: '1m',
      GATEHOUSE_ACCESS_LOG: join(dir, 'logs', 'access.log'),
    },
    spec.workers,
  );
  const nginx = spawn(NGINX_BIN, nginxArgs(dir, mainFile), { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((done) => nginx.once('exit', done));
  return {
    process: nginx,
    async stop() {
      if (nginx.exitCode !== null || nginx.signalCode !== null) return;
      nginx.kill('SIGQUIT'); // graceful: lets responses in progress finish
      const timer = setTimeout(() => nginx.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
