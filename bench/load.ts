/**
 * Load test (issue 12): many signed-in sessions making the SPA's everyday requests, for a bounded time,
 * on loopback only. Two topologies, one after the other:
 *
 * - `postgres`: nginx → two production BFF processes → one PostgreSQL database (e2e/support/cluster.ts,
 *   the same processes and nginx config the cluster tests use);
 * - `sqlite`: one production BFF process on SQLite (e2e/support/stack.ts), straight to it, no nginx
 *   (one instance has nothing to balance).
 *
 * Each phase signs in `BENCH_LOAD_SESSIONS` sessions (default 1,000) through the real sign-in flow
 * (BFF → emulator's pages → callback), each from its own loopback address so that the BFF's per-client
 * sign-in rate limit sees a thousand clients, not one. Sessions share the emulator's users that hold the
 * required app role, but each has its own cookie and owns one conversation. Then a closed loop of
 * `BENCH_LOAD_CONNECTIONS` (default 50) requests in flight cycles through the sessions, each request one
 * of a fixed mix (see `MIX`), for a warm-up (`BENCH_LOAD_WARMUP`, default 5 s) and then the measured
 * `BENCH_LOAD_DURATION` (default 30 s). A progress line goes to stderr every second.
 *
 * The client is undici's Pool (keep-alive connections, no WHATWG fetch overhead): its own CPU time is
 * reported (`clientCpuShareOfMachine`) so a reader can see it was not the bottleneck.
 *
 * Run alone: `npx tsx bench/load.ts` (JSON on stdout, summary on stderr); `pnpm bench` runs it too.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contosoSeed, DEMO_PASSWORD, GATEHOUSE_CLIENT_ID } from '@gatehouse/entra-emulator';
import { signIn } from '@gatehouse/entra-emulator/testing';
import type * as Undici from '../apps/bff/node_modules/undici/index.js';
import { NGINX_BIN, startCluster } from '../e2e/support/cluster';
import { startStack } from '../e2e/support/stack';

// undici is the BFF's dependency, not the workspace root's: resolve it the way the BFF does.
const undici = createRequire(new URL('../apps/bff/package.json', import.meta.url))('undici') as typeof Undici;

const root = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;

/**
 * Contoso users who hold the `Gatehouse.User` role the dev config requires, read from the seed:
 * assigned directly or as a direct member of an assigned group (Entra's rule), by user principal
 * name. Users in more groups than a token carries (Megan, 250) are left out: each of their sign-ins
 * resolves a groups overage through Graph, a cost of its own.
 */
const USERS = roleHolders('Gatehouse.User');

function roleHolders(role: string): string[] {
  const app = contosoSeed.applications.find((candidate) => candidate.clientId === GATEHOUSE_CLIENT_ID);
  const assigned = new Set(app?.appRoleAssignments.filter((a) => a.role === role).map((a) => a.principalId));
  const groupCount = (userId: string) => contosoSeed.groups.filter((g) => g.members.includes(userId)).length;
  return contosoSeed.users
    .filter(
      (user) =>
        assigned.has(user.id) ||
        contosoSeed.groups.some((g) => assigned.has(g.id) && g.members.includes(user.id)),
    )
    .filter((user) => groupCount(user.id) <= 200)
    .map((user) => user.userPrincipalName);
}
/** People-search queries: prefixes of names and groups in the directory. */
const QUERIES = ['ad', 'gra', 'hen', 'irv', 'joh', 'lee', 'lid', 'cam', 'san', 'mar', 'eng', 'meg'];

type Kind = 'session' | 'conversations' | 'post' | 'search';
const KINDS: readonly Kind[] = ['session', 'conversations', 'post', 'search'];
/**
 * The request mix, cycled in this order (weights 4 : 3 : 2 : 1): the SPA checks its session most
 * often, lists conversations on every visit, posts now and then, and searches when sharing.
 */
const MIX: readonly Kind[] = [
  'session',
  'conversations',
  'post',
  'session',
  'search',
  'conversations',
  'session',
  'post',
  'conversations',
  'session',
];
const EXPECTED_STATUS: Record<Kind, number> = { session: 200, conversations: 200, post: 201, search: 200 };

/** "Flat" resident memory: it grew by less than 32 MiB, or by less than 20 % of its size at start. */
const FLAT_GROWTH_MIB = 32;
const FLAT_GROWTH_SHARE = 0.2;

export interface LoadBenchOptions {
  sessions: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Sign-ins in flight at once while the sessions are made. */
  signInConcurrency?: number;
  /** Which phases to run (default both). */
  phases?: LoadPhaseResult['name'][];
  /** A folder for a CPU profile of every BFF process over the measured run (see `profileEnv`). */
  profileDir?: string;
}

export interface LatencySummary {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

export interface InstanceMemory {
  instance: number;
  /** After the warm-up, when the measured run starts. */
  startMiB: number;
  endMiB: number;
  peakMiB: number;
  growthMiB: number;
  /**
   * Growth from the middle of the run to its end (information): a leak keeps growing at the same
   * pace, while a heap settling after warm-up grows early and then stops.
   */
  secondHalfGrowthMiB: number;
  flat: boolean;
}

export interface LoadPhaseResult {
  name: 'postgres' | 'sqlite';
  topology: string;
  /** Why the phase did not run (nginx or PostgreSQL missing); the other fields are then absent. */
  skipped?: string;
  /** Why the phase stopped (an error); the other fields are then absent. */
  failed?: string;
  sessions?: number;
  users?: number;
  connections?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Signing in every session and creating its conversation; failures by message. */
  setup?: { seconds: number; sessionsPerSecond: number; failures: Record<string, number> };
  /**
   * 1/5/15-minute load average before the sign-ins and after the measured run: the figures are only
   * comparable between runs on an equally quiet machine.
   */
  loadAverage?: { before: number[]; after: number[] };
  overall?: LatencySummary;
  byKind?: Record<Kind, LatencySummary>;
  status5xx?: number;
  /** `<kind> <status> <error code>` or `<kind> network <code>` → count. */
  errorsByKind?: Record<string, number>;
  /** Requests answered by each instance (from the X-Request-Id prefix; nginx's round robin). */
  requestsByInstance?: number[];
  memory?: InstanceMemory[];
  /** Connections to the cluster's database (all but the sampler's own), sampled every second. */
  postgresConnections?: { max: number; atEnd: number; samples: number };
  /** The load generator's CPU time (with the in-process emulator) ÷ all the machine's CPU time. */
  clientCpuShareOfMachine?: number;
  /**
   * CPU time (user + system) of the BFF processes per request answered: steadier than requests per
   * second when other work shares the machine (nginx, PostgreSQL and the client not included).
   */
  bffCpuMicrosPerRequest?: number;
  targetMet: { no5xx: boolean; memoryFlat: boolean };
}

export interface LoadBenchResult {
  mix: Record<Kind, number>;
  flatMeans: string;
  phases: { postgres: LoadPhaseResult; sqlite: LoadPhaseResult };
}

/** One system under load, however it was started. */
interface Target {
  url: string;
  emulatorFetch: (request: Request) => Promise<Response>;
  /** Resident memory of each BFF process, bytes. */
  rss(): number[];
  /** The BFF processes' ids (for their CPU time). */
  pids(): number[];
  /** Which instance answered, from an X-Request-Id. */
  instanceOf(requestId: string | undefined): number | undefined;
  postgresConnections?: () => Promise<number>;
}

interface Session {
  user: string;
  cookie: string;
  conversationId: string;
}

// ── Sign-in ─────────────────────────────────────────────────────────────────────────────────────────

/** Cookies set by a response, `name → value`; a cleared cookie maps to undefined. */
function setCookies(header: string | string[] | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const line of header === undefined ? [] : Array.isArray(header) ? header : [header]) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const cleared = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
    out.set(name, cleared ? undefined : value);
  }
  return out;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

function applyCookies(jar: Map<string, string>, header: string | string[] | undefined) {
  for (const [name, value] of setCookies(header)) {
    if (value === undefined) jar.delete(name);
    else jar.set(name, value);
  }
}

/**
 * The real sign-in, over HTTP from `localAddress` (a loopback address of its own): the BFF's login
 * redirect, the emulator's pages (handled in-process: the emulator runs in this process anyway), and
 * the BFF's callback, which redeems the code at the emulator's token endpoint. Returns the session's
 * Cookie header.
 */
async function signInSession(target: Target, user: string, localAddress: string): Promise<string> {
  const client = new undici.Client(target.url, {
    localAddress,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  try {
    const jar = new Map<string, string>();
    const start = await client.request({
      path: '/oauth/openid?returnTo=%2F',
      method: 'GET',
      headers: { accept: 'text/html' },
    });
    await start.body.dump();
    const authorize = start.headers.location;
    if (start.statusCode !== 302 || typeof authorize !== 'string')
      throw new Error(`GET /oauth/openid answered ${start.statusCode}`);
    applyCookies(jar, start.headers['set-cookie']);

    const provider = await signIn({
      authorizeUrl: authorize,
      username: user,
      password: DEMO_PASSWORD,
      fetch: target.emulatorFetch,
    });
    if (provider.kind !== 'redirect')
      throw new Error(`the provider stopped the sign-in of ${user} (${provider.kind})`);

    const callback = await client.request({
      path: provider.url.pathname + provider.url.search,
      method: 'GET',
      headers: { accept: 'text/html', cookie: cookieHeader(jar) },
    });
    await callback.body.dump();
    if (callback.statusCode !== 302 && callback.statusCode !== 303)
      throw new Error(`the callback answered ${callback.statusCode} for ${user}`);
    applyCookies(jar, callback.headers['set-cookie']);
    if (jar.size === 0) throw new Error(`the callback set no session cookie for ${user}`);
    return cookieHeader(jar);
  } finally {
    await client.close();
  }
}

/** Runs `task(i)` for i in [0, count) with at most `limit` at once. */
async function bounded(count: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** The i-th client address: 127.20.0.1, 127.20.0.2, … (all of 127/8 is loopback on Linux). */
const clientAddress = (i: number) => `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/**
 * Signs in `count` sessions and creates one conversation for each. A failed sign-in is a finding, not
 * the end of the bench: it is counted by message and the load runs on the sessions that exist.
 */
async function makeSessions(
  target: Target,
  pool: Undici.Pool,
  count: number,
  concurrency: number,
): Promise<{ sessions: Session[]; failures: Record<string, number> }> {
  const made: (Session | undefined)[] = new Array(count);
  const failures: Record<string, number> = {};
  await bounded(count, concurrency, async (i) => {
    const user = USERS[i % USERS.length]!;
    try {
      const cookie = await signInSession(target, user, clientAddress(i));
      const created = await pool.request({
        path: '/api/conversations',
        method: 'POST',
        headers: apiHeaders(target, cookie, true),
        body: JSON.stringify({ title: `Load test ${i}` }),
      });
      const body = (await created.body.json()) as { id?: string };
      if (created.statusCode !== 201 || !body.id)
        throw new Error(`creating a conversation answered ${created.statusCode}: ${JSON.stringify(body)}`);
      made[i] = { user, cookie, conversationId: body.id };
    } catch (error) {
      const message = (error as Error).message.replace(user, '<user>');
      failures[message] = (failures[message] ?? 0) + 1;
    }
  });
  return { sessions: made.filter((s): s is Session => s !== undefined), failures };
}

/** What the SPA sends: the CSRF header, and for a state change its own Origin and a JSON body. */
function apiHeaders(target: Target, cookie: string, json: boolean): Record<string, string> {
  return json
    ? { cookie, 'x-csrf': '1', origin: target.url, 'content-type': 'application/json' }
    : { cookie, 'x-csrf': '1' };
}

// ── Load ────────────────────────────────────────────────────────────────────────────────────────────

interface Recorder {
  recording: boolean;
  all: RecordableHistogram;
  byKind: Record<Kind, RecordableHistogram>;
  errorsByKind: Map<string, number>;
  errorCount: Record<Kind, number>;
  status5xx: number;
  completed: number;
  byInstance: number[];
}

function newRecorder(instances: number): Recorder {
  const byKind = Object.fromEntries(KINDS.map((k) => [k, createHistogram()])) as Record<
    Kind,
    RecordableHistogram
  >;
  return {
    recording: false,
    all: createHistogram(),
    byKind,
    errorsByKind: new Map(),
    errorCount: { session: 0, conversations: 0, post: 0, search: 0 },
    status5xx: 0,
    completed: 0,
    byInstance: new Array(instances).fill(0),
  };
}

function requestFor(
  kind: Kind,
  session: Session,
  target: Target,
  n: number,
): Undici.Dispatcher.RequestOptions {
  switch (kind) {
    case 'session':
      return { path: '/api/auth/session', method: 'GET', headers: apiHeaders(target, session.cookie, false) };
    case 'conversations':
      return {
        path: '/api/conversations?filter=mine',
        method: 'GET',
        headers: apiHeaders(target, session.cookie, false),
      };
    case 'post':
      return {
        path: `/api/conversations/${session.conversationId}/messages`,
        method: 'POST',
        headers: apiHeaders(target, session.cookie, true),
        body: JSON.stringify({ text: `Load test message ${n}` }),
      };
    case 'search':
      return {
        path: `/api/principals/search?q=${QUERIES[n % QUERIES.length]}&types=user,group&limit=20`,
        method: 'GET',
        headers: apiHeaders(target, session.cookie, false),
      };
  }
}

/** The `error` code of a JSON error body, or a short description of what came instead. */
async function errorCode(body: Undici.Dispatcher.ResponseData['body']): Promise<string> {
  const text = await body.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : 'no error code';
  } catch {
    return 'not JSON';
  }
}

function countError(recorder: Recorder, kind: Kind, what: string) {
  const key = `${kind} ${what}`;
  recorder.errorsByKind.set(key, (recorder.errorsByKind.get(key) ?? 0) + 1);
  recorder.errorCount[kind]++;
}

/**
 * `connections` loops, each sending one request at a time until `until`: the next session in turn,
 * the next kind in the mix. A closed loop: the rate is what the system answers, not a schedule.
 */
async function drive(
  target: Target,
  pool: Undici.Pool,
  sessions: Session[],
  connections: number,
  until: () => boolean,
  recorder: Recorder,
) {
  let turn = 0;
  const loop = async () => {
    while (!until()) {
      const n = turn++;
      const session = sessions[n % sessions.length]!;
      // Offset the mix by the session's pass so every session gets every kind over the run.
      const kind = MIX[(n + Math.floor(n / sessions.length)) % MIX.length]!;
      const started = performance.now();
      let status = 0;
      let failure: string | undefined;
      let requestId: string | undefined;
      try {
        const response = await pool.request(requestFor(kind, session, target, n));
        status = response.statusCode;
        const id = response.headers['x-request-id'];
        requestId = typeof id === 'string' ? id : undefined;
        if (status === EXPECTED_STATUS[kind]) await response.body.dump({ limit: 4 * MiB });
        else failure = `${status} ${await errorCode(response.body)}`;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        failure = `network ${typeof code === 'string' ? code : (error as Error).name}`;
      }
      if (!recorder.recording) continue;
      const micros = Math.max(1, Math.round((performance.now() - started) * 1000));
      recorder.all.record(micros);
      recorder.byKind[kind].record(micros);
      recorder.completed++;
      if (status >= 500) recorder.status5xx++;
      if (failure) countError(recorder, kind, failure);
      const instance = target.instanceOf(requestId);
      if (instance !== undefined) recorder.byInstance[instance]!++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
}

const ms = (micros: number) => Math.round(micros / 10) / 100;

function summarise(histogram: RecordableHistogram, errors: number, seconds: number): LatencySummary {
  const requests = histogram.count;
  return {
    requests,
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: requests ? ms(histogram.percentile(50)) : 0,
    p99Ms: requests ? ms(histogram.percentile(99)) : 0,
    maxMs: requests ? ms(histogram.max) : 0,
    errors,
  };
}

const toMiB = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

async function runPhase(
  name: LoadPhaseResult['name'],
  topology: string,
  target: Target,
  options: LoadBenchOptions,
): Promise<LoadPhaseResult> {
  const instances = target.rss().length;
  // A request that hangs counts as an error after 30 s (undici's default is 5 minutes), so the run
  // stays bounded in time.
  const pool = new undici.Pool(target.url, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  try {
    const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);
    const setupStarted = performance.now();
    process.stderr.write(`load test, ${name}: signing in ${options.sessions} sessions…\n`);
    const { sessions, failures } = await makeSessions(
      target,
      pool,
      options.sessions,
      options.signInConcurrency ?? 16,
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    if (sessions.length === 0) throw new Error(`no session could be signed in: ${JSON.stringify(failures)}`);

    const recorder = newRecorder(instances);
    const warmupEnds = performance.now() + options.warmupSeconds * 1000;
    await drive(target, pool, sessions, options.connections, () => performance.now() >= warmupEnds, recorder);

    const rssStart = target.rss();
    const bffCpuBefore = target.pids().map(cpuMicrosOf);
    const rssPeak = [...rssStart];
    const rssSamples: number[][] = [];
    let pgMax = 0;
    let pgLast = 0;
    let pgSamples = 0;
    const samplePostgres = async () => {
      if (!target.postgresConnections) return;
      pgLast = await target.postgresConnections();
      pgMax = Math.max(pgMax, pgLast);
      pgSamples++;
    };
    await samplePostgres();

    await toggleProfiles(target, options, name, false);
    recorder.recording = true;
    const started = performance.now();
    const ends = started + options.durationSeconds * 1000;
    const cpuBefore = process.cpuUsage();
    let lastCompleted = 0;
    let lastErrors = 0;
    const tty = process.stderr.isTTY;
    const ticker = setInterval(() => {
      const rss = target.rss();
      rssSamples.push(rss);
      rss.forEach((bytes, i) => {
        rssPeak[i] = Math.max(rssPeak[i]!, bytes);
      });
      void samplePostgres().catch(() => {});
      const errors = [...recorder.errorsByKind.values()].reduce((a, b) => a + b, 0);
      const elapsed = Math.round((performance.now() - started) / 1000);
      const line = `load test, ${name}: ${elapsed}/${options.durationSeconds} s, ${recorder.completed - lastCompleted} req/s, ${errors - lastErrors} errors/s (${errors} in all, ${recorder.status5xx} 5xx), RSS ${rss.map((b) => `${toMiB(b)}`).join(' + ')} MiB${target.postgresConnections ? `, ${pgLast} PostgreSQL connections` : ''}`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      lastCompleted = recorder.completed;
      lastErrors = errors;
    }, 1000);
    try {
      await drive(target, pool, sessions, options.connections, () => performance.now() >= ends, recorder);
    } finally {
      clearInterval(ticker);
      if (tty) process.stderr.write('\n');
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const rssEnd = target.rss();
    const bffCpu = target.pids().reduce((sum, pid, i) => sum + cpuMicrosOf(pid) - bffCpuBefore[i]!, 0);
    await toggleProfiles(target, options, name, true);
    await samplePostgres();

    const memory = rssStart.map((start, i): InstanceMemory => {
      const end = rssEnd[i]!;
      const growth = end - start;
      return {
        instance: i,
        startMiB: toMiB(start),
        endMiB: toMiB(end),
        peakMiB: toMiB(Math.max(rssPeak[i]!, end)),
        growthMiB: toMiB(growth),
        secondHalfGrowthMiB: toMiB(end - (rssSamples[Math.floor(rssSamples.length / 2)]?.[i] ?? start)),
        flat: growth < Math.max(FLAT_GROWTH_MIB * MiB, FLAT_GROWTH_SHARE * start),
      };
    });
    const byKind = Object.fromEntries(
      KINDS.map((k) => [k, summarise(recorder.byKind[k], recorder.errorCount[k], seconds)]),
    ) as Record<Kind, LatencySummary>;
    const errors = Object.values(recorder.errorCount).reduce((a, b) => a + b, 0);
    return {
      name,
      topology,
      sessions: sessions.length,
      users: Math.min(USERS.length, sessions.length),
      connections: options.connections,
      durationSeconds: Math.round(seconds * 10) / 10,
      warmupSeconds: options.warmupSeconds,
      setup: {
        seconds: Math.round(setupSeconds * 10) / 10,
        sessionsPerSecond: Math.round(sessions.length / setupSeconds),
        failures,
      },
      loadAverage: { before: loadBefore, after: loadavg().map((v) => Math.round(v * 100) / 100) },
      overall: summarise(recorder.all, errors, seconds),
      byKind,
      status5xx: recorder.status5xx,
      errorsByKind: Object.fromEntries([...recorder.errorsByKind].sort((a, b) => b[1] - a[1])),
      requestsByInstance: recorder.byInstance,
      memory,
      ...(target.postgresConnections
        ? { postgresConnections: { max: pgMax, atEnd: pgLast, samples: pgSamples } }
        : {}),
      bffCpuMicrosPerRequest: Math.round(bffCpu / Math.max(1, recorder.completed)),
      clientCpuShareOfMachine:
        Math.round(((cpu.user + cpu.system) / (seconds * 1e6 * cpus().length)) * 1000) / 1000,
      targetMet: { no5xx: recorder.status5xx === 0, memoryFlat: memory.every((m) => m.flat) },
    };
  } finally {
    await pool.close();
  }
}

// ── Topologies ──────────────────────────────────────────────────────────────────────────────────────

/** The BFF's request ids are `<random prefix per process>-<counter>`. */
const idPrefix = (id: string | undefined) => {
  const cut = id?.lastIndexOf('-') ?? -1;
  return id && cut > 0 ? id.slice(0, cut) : undefined;
};

/** User + system CPU time of a process so far, µs (/proc/<pid>/stat counts 100 ticks a second). */
function cpuMicrosOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

function ensureBuilt(): string | undefined {
  for (const built of ['apps/bff/dist/main.js', 'apps/web/dist/index.html']) {
    if (!existsSync(`${root}${built}`)) return `${built} is missing: run \`pnpm build\` first.`;
  }
  return undefined;
}

const skipped = (name: LoadPhaseResult['name'], topology: string, reason: string): LoadPhaseResult => {
  process.stderr.write(`load test, ${name}: SKIPPED: ${reason}\n`);
  return { name, topology, skipped: reason, targetMet: { no5xx: false, memoryFlat: false } };
};

const failed = (name: LoadPhaseResult['name'], topology: string, error: unknown): LoadPhaseResult => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`load test, ${name}: FAILED: ${reason}\n`);
  return { name, topology, failed: reason, targetMet: { no5xx: false, memoryFlat: false } };
};

/**
 * With `profileDir`: the BFF processes preload a small hook (`NODE_OPTIONS=--import`; `--cpu-prof`
 * itself is not allowed there) that starts V8's profiler on the first SIGUSR2 and writes
 * `<dir>/<phase>/bff-<pid>.cpuprofile` on the second, so the profile covers the measured run only.
 */
function profileEnv(options: LoadBenchOptions, phase: LoadPhaseResult['name']): Record<string, string> {
  if (!options.profileDir) return {};
  const dir = join(resolve(options.profileDir), phase);
  mkdirSync(dir, { recursive: true });
  const hook = join(dir, 'profile-hook.mjs');
  writeFileSync(
    hook,
    [
      "import { writeFileSync } from 'node:fs';",
      "import { Session } from 'node:inspector/promises';",
      'const session = new Session();',
      'session.connect();',
      'let running = false;',
      "process.on('SIGUSR2', async () => {",
      "  if (!running) { running = true; await session.post('Profiler.enable'); await session.post('Profiler.start'); return; }",
      '  running = false;',
      "  const { profile } = await session.post('Profiler.stop');",
      `  writeFileSync(${JSON.stringify(dir)} + '/bff-' + process.pid + '.cpuprofile', JSON.stringify(profile));`,
      '});',
      '',
    ].join('\n'),
  );
  return { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` };
}

/** Toggles the profile hook of every BFF process; on stop, waits until each has written its file. */
async function toggleProfiles(target: Target, options: LoadBenchOptions, phase: string, stop: boolean) {
  if (!options.profileDir) return;
  const pids = target.pids();
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  if (!stop) return;
  const files = pids.map((pid) => join(resolve(options.profileDir!), phase, `bff-${pid}.cpuprofile`));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !files.every((f) => existsSync(f)))
    await new Promise((r) => setTimeout(r, 100));
  process.stderr.write(`load test, ${phase}: CPU profiles: ${files.join(', ')}\n`);
}

const POSTGRES_TOPOLOGY = 'nginx (round robin) → 2 BFF processes → PostgreSQL';
const SQLITE_TOPOLOGY = '1 BFF process on SQLite, no nginx';

async function postgresPhase(options: LoadBenchOptions): Promise<LoadPhaseResult> {
  if (!existsSync(NGINX_BIN)) {
    return skipped(
      'postgres',
      POSTGRES_TOPOLOGY,
      `${NGINX_BIN} is missing. Install Debian's nginx (\`sudo apt-get install -y nginx\`; the bench does not install packages itself) or point GATEHOUSE_NGINX at an nginx binary.`,
    );
  }
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster({ instances: 2, logLevel: 'error', env: profileEnv(options, 'postgres') });
  } catch (error) {
    return skipped(
      'postgres',
      POSTGRES_TOPOLOGY,
      `the cluster did not start (${(error as Error).message}). It needs \`pnpm build\`, nginx and PostgreSQL at GATEHOUSE_TEST_PG_URL (default postgres://gatehouse:gatehouse@localhost:5432/postgres; .ci/run sets one up).`,
    );
  }
  try {
    const database = cluster.database;
    if (database.dialect !== 'postgres') throw new Error('the cluster is not on PostgreSQL');
    const target: Target = {
      url: cluster.url,
      emulatorFetch: cluster.emulator.fetch,
      rss: () => cluster.instances.map((i) => i.rss()),
      pids: () => cluster.instances.map((i) => i.pid),
      instanceOf: (id) => {
        const prefix = idPrefix(id);
        return prefix === undefined
          ? undefined
          : cluster.instances.findIndex((i) => i.requestIdPrefix === prefix);
      },
      postgresConnections: async () => {
        const { rows } = await database.lockPool.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
        return rows[0]?.n ?? 0;
      },
    };
    return await runPhase('postgres', POSTGRES_TOPOLOGY, target, options).catch((error: unknown) =>
      failed('postgres', POSTGRES_TOPOLOGY, error),
    );
  } finally {
    await cluster.stop();
  }
}

async function sqlitePhase(options: LoadBenchOptions): Promise<LoadPhaseResult> {
  // 127.0.0.1 rather than `localhost`, so connections from the other 127/8 addresses reach it.
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      logLevel: 'error',
      env: { HOST: '127.0.0.1', ...profileEnv(options, 'sqlite') },
    });
  } catch (error) {
    return failed('sqlite', SQLITE_TOPOLOGY, error);
  }
  try {
    const target: Target = {
      url: stack.appUrl,
      emulatorFetch: stack.emulator.fetch,
      rss: () => [rssOf(stack.bffPid)],
      pids: () => [stack.bffPid],
      instanceOf: (id) => (id === undefined ? undefined : 0),
    };
    return await runPhase('sqlite', SQLITE_TOPOLOGY, target, options).catch((error: unknown) =>
      failed('sqlite', SQLITE_TOPOLOGY, error),
    );
  } finally {
    await stack.close();
  }
}

export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const missing = ensureBuilt();
  const weights = Object.fromEntries(KINDS.map((k) => [k, MIX.filter((m) => m === k).length / MIX.length]));
  const result = (postgres: LoadPhaseResult, sqlite: LoadPhaseResult): LoadBenchResult => ({
    mix: weights as Record<Kind, number>,
    flatMeans: `resident memory grew by less than ${FLAT_GROWTH_MIB} MiB or ${FLAT_GROWTH_SHARE * 100} % of its size after warm-up`,
    phases: { postgres, sqlite },
  });
  if (missing)
    return result(
      skipped('postgres', POSTGRES_TOPOLOGY, missing),
      skipped('sqlite', SQLITE_TOPOLOGY, missing),
    );
  const only = options.phases ?? ['postgres', 'sqlite'];
  const notAsked = (name: LoadPhaseResult['name'], topology: string) =>
    skipped(name, topology, 'not in BENCH_LOAD_PHASES');
  const postgres = only.includes('postgres')
    ? await postgresPhase(options)
    : notAsked('postgres', POSTGRES_TOPOLOGY);
  const sqlite = only.includes('sqlite') ? await sqlitePhase(options) : notAsked('sqlite', SQLITE_TOPOLOGY);
  return result(postgres, sqlite);
}

/** `BENCH_LOAD_*` settings, or a message naming the one that is wrong. */
export function loadOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LoadBenchOptions | string {
  const read = (name: string, fallback: number, integer: boolean) => {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    return (integer ? Number.isInteger(value) : Number.isFinite(value)) && value > 0 ? value : undefined;
  };
  const sessions = read('BENCH_LOAD_SESSIONS', 1000, true);
  const connections = read('BENCH_LOAD_CONNECTIONS', 50, true);
  const durationSeconds = read('BENCH_LOAD_DURATION', 30, false);
  const warmupSeconds = read('BENCH_LOAD_WARMUP', 5, false);
  if (sessions === undefined) return 'BENCH_LOAD_SESSIONS must be a positive integer (default 1000).';
  if (sessions > 62_500) return 'BENCH_LOAD_SESSIONS: at most 62500 (one loopback address each).';
  if (connections === undefined) return 'BENCH_LOAD_CONNECTIONS must be a positive integer (default 50).';
  if (durationSeconds === undefined)
    return 'BENCH_LOAD_DURATION must be a positive number of seconds (default 30).';
  if (warmupSeconds === undefined)
    return 'BENCH_LOAD_WARMUP must be a positive number of seconds (default 5).';
  const phases = (env.BENCH_LOAD_PHASES || 'postgres,sqlite').split(',').map((p) => p.trim());
  if (!phases.every((p): p is LoadPhaseResult['name'] => p === 'postgres' || p === 'sqlite'))
    return 'BENCH_LOAD_PHASES: a comma list of postgres and sqlite (default both).';
  const profileDir = env.BENCH_LOAD_PROFILE || undefined;
  return {
    sessions,
    connections,
    durationSeconds,
    warmupSeconds,
    phases,
    ...(profileDir ? { profileDir } : {}),
  };
}

const mark = (ok: boolean) => (ok ? 'met ' : 'MISSED');
const signed = (n: number) => `${n >= 0 ? '+' : ''}${n}`;

/** The human summary `pnpm bench` prints (stderr). */
export function loadSummary(load: LoadBenchResult): string[] {
  const lines: string[] = [];
  for (const phase of [load.phases.postgres, load.phases.sqlite]) {
    if (phase.skipped || phase.failed) {
      lines.push(
        `Load test, ${phase.topology}: ${phase.skipped ? `SKIPPED (${phase.skipped})` : `FAILED (${phase.failed})`}`,
      );
      lines.push(`  [${mark(false)}] no 5xx   [${mark(false)}] memory flat after warm-up`);
      continue;
    }
    const o = phase.overall!;
    lines.push(
      `Load test, ${phase.topology}: ${phase.sessions} sessions (${phase.users} users), ${phase.connections} requests in flight, ${phase.durationSeconds} s after ${phase.warmupSeconds} s warm-up`,
      `  ${o.requestsPerSecond} req/s, p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms, ${o.errors} errors`,
      ...KINDS.map((k) => {
        const s = phase.byKind![k];
        return `    ${k.padEnd(13)} ${String(s.requestsPerSecond).padStart(5)} req/s  p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  ${s.errors} errors`;
      }),
      ...Object.entries(phase.errorsByKind!).map(([what, n]) => `    error: ${what} x ${n}`),
      ...Object.entries(phase.setup!.failures).map(([what, n]) => `    sign-in failed: ${what} x ${n}`),
      `  [${mark(phase.targetMet.no5xx)}] ${phase.status5xx} answers with 5xx (target 0)`,
      `  [${mark(phase.targetMet.memoryFlat)}] resident memory flat after warm-up: ${phase
        .memory!.map(
          (m) =>
            `instance ${m.instance} ${m.startMiB} -> ${m.endMiB} MiB (${signed(m.growthMiB)}, ${signed(m.secondHalfGrowthMiB)} in the second half, peak ${m.peakMiB})`,
        )
        .join('; ')}`,
      `  (info) set-up (sign-in + a conversation) ${phase.setup!.sessionsPerSecond} sessions/s; load average ${phase.loadAverage!.before.join(' ')} -> ${phase.loadAverage!.after.join(' ')} on ${cpus().length} CPUs`,
      `  (info) BFF CPU ${phase.bffCpuMicrosPerRequest} us per request (all instances; nginx and PostgreSQL not included)`,
      `  (info) requests per instance ${phase.requestsByInstance!.join(' / ')}; load generator used ${Math.round(100 * phase.clientCpuShareOfMachine!)} % of the machine's CPU${phase.postgresConnections ? `; PostgreSQL connections: max ${phase.postgresConnections.max}` : ''}`,
    );
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = loadOptionsFromEnv();
  if (typeof options === 'string') {
    console.error(options);
    process.exit(1);
  }
  const load = await runLoadBench(options);
  console.log(JSON.stringify(load, null, 2));
  console.error(['', ...loadSummary(load)].join('\n'));
  const pass = Object.values(load.phases).every((p) => p.targetMet.no5xx && p.targetMet.memoryFlat);
  process.exit(pass ? 0 : 1);
}
