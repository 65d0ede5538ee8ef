/**
 * `pnpm bench`: every benchmark of the BRIEF's performance targets, in one run, so ratios compare
 * numbers taken on the same machine at the same time. Prints one JSON document and writes it to
 * `bench/results/<date>.json`. `BENCH_DURATION` (seconds per load phase, default 5),
 * `BENCH_ROUNDS` (alternating rounds per comparison, default 3) and `BENCH_CONNECTIONS` (default 50)
 * tune the load phases; `BENCH_LOAD_*` tune the load test (bench/load.ts). Exits 1 when a target is missed.
 *
 * stdout: the JSON document only (pipe it anywhere); stderr: a human summary. Throughput ratios are
 * sensitive to other work on the machine (see `loadAverage`): the server's CPU time per request and
 * `cpuRatio` are the steadier numbers and are reported beside them.
 *
 * The session, people-search and download benchmarks each run in a fresh child process (the file run
 * alone, its JSON read from stdout), so none measures in a process that the ones before it left heap,
 * sockets and exited children in. Those leftovers were small next to the page faults that made the
 * download bench miss here (docs/attachments.md), but a benchmark alone and inside `pnpm bench` now
 * run the same way. The load test runs last, here, where nothing ran before it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type DownloadBenchResult, downloadSummary, MALLOC_ENV } from './download';
import { loadOptionsFromEnv, loadSummary, runLoadBench } from './load';
import type { SearchBenchResult } from './search';
import type { SessionBenchResult } from './session';

const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
if (!(durationSeconds > 0) || !(connections > 0) || !Number.isInteger(rounds) || rounds < 1) {
  console.error(
    'BENCH_DURATION and BENCH_CONNECTIONS must be positive numbers, BENCH_ROUNDS a positive integer.',
  );
  process.exit(1);
}
const loadOptions = loadOptionsFromEnv();
if (typeof loadOptions === 'string') {
  console.error(loadOptions);
  process.exit(1);
}

/**
 * Runs `bench/<file>` alone in a fresh Node process, with this process's environment (BENCH_*) and
 * `env`, and returns the JSON it prints on stdout; its progress goes to stderr as it comes. A missed
 * target still prints the JSON (and exits 1); no JSON at all is an error.
 */
async function runPhase<T>(file: string, env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`bench/${file} exited with ${code} without printing its result`);
  }
}

const startedAt = new Date();
const loadAverageAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
const session = await runPhase<SessionBenchResult>('session.ts');
const search = await runPhase<SearchBenchResult>('search.ts');
const download = await runPhase<DownloadBenchResult>('download.ts', MALLOC_ENV);
const load = await runLoadBench(loadOptions);

const results = {
  startedAt: startedAt.toISOString(),
  machine: {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadAverageAtStart,
  },
  session,
  search,
  download,
  load,
};
const endpoint = session.sessionEndpoint;
const targetMet = {
  sessionThroughputRatio: endpoint.targetMet.throughputRatio,
  sessionP99: endpoint.targetMet.p99,
  sessionNoErrors: endpoint.targetMet.noErrors,
  expiredTokenSingleRefresh: session.expiredTokenConcurrency.pass,
  searchBffRequests: search.typist.targetMet.bffRequests,
  searchGraphRoundTrips: search.typist.targetMet.graphRoundTrips,
  downloadThroughputRatio: download.targetMet.throughputRatio,
  downloadRssGrowth: download.targetMet.rssGrowth,
  loadPostgresNo5xx: load.phases.postgres.targetMet.no5xx,
  loadPostgresMemoryFlat: load.phases.postgres.targetMet.memoryFlat,
  loadSqliteNo5xx: load.phases.sqlite.targetMet.no5xx,
  loadSqliteMemoryFlat: load.phases.sqlite.targetMet.memoryFlat,
};
const pass = Object.values(targetMet).every(Boolean);

const json = JSON.stringify({ ...results, targetMet, pass }, null, 2);
console.log(json);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${json}\n`);
const mark = (ok: boolean) => (ok ? 'met ' : 'MISSED');
const { bareHono, bff } = endpoint;
console.error(
  [
    '',
    `GET /api/auth/session, ${connections} connections, ${rounds} x ${durationSeconds} s per side (median round)`,
    `  bare Hono: ${bareHono.requestsPerSecond} req/s, p99 ${bareHono.p99Ms} ms, server CPU ${bareHono.serverCpuMicrosPerRequest} us/req, other processes ${Math.round(100 * bareHono.otherCpuShare)} % of the CPUs`,
    `  BFF:       ${bff.requestsPerSecond} req/s, p99 ${bff.p99Ms} ms, server CPU ${bff.serverCpuMicrosPerRequest} us/req, other processes ${Math.round(100 * bff.otherCpuShare)} % of the CPUs`,
    `  [${mark(endpoint.targetMet.throughputRatio)}] throughput ratio ${endpoint.throughputRatio} (target >= ${endpoint.targetRatio})`,
    `  [${mark(endpoint.targetMet.p99)}] BFF p99 ${bff.p99Ms} ms (target < ${endpoint.targetP99Ms} ms)`,
    `  [${mark(endpoint.targetMet.noErrors)}] no errors or non-2xx answers`,
    `  (info) CPU ratio ${endpoint.cpuRatio}; with the session cache off: ${endpoint.sessionCacheOff.bff.requestsPerSecond} req/s, p99 ${endpoint.sessionCacheOff.bff.p99Ms} ms, ${endpoint.sessionCacheOff.bff.serverCpuMicrosPerRequest} us/req (ratio ${endpoint.sessionCacheOff.throughputRatio})`,
    `  (info) load average ${endpoint.loadAverage.before.join(' ')} -> ${endpoint.loadAverage.after.join(' ')} on ${results.machine.cpus} CPUs`,
    ...(endpoint.machineBusy
      ? [
          `  WARNING: other processes used up to ${Math.round(100 * endpoint.maxOtherCpuShare)} % of the CPUs in one round; the throughput ratio is not trustworthy (compare the CPU ratio, or run again on a quieter machine).`,
        ]
      : []),
    `200 concurrent requests on an expired access token: ${session.expiredTokenConcurrency.succeeded} succeeded, ${session.expiredTokenConcurrency.refreshTokenGrants} refresh grant(s)`,
    `  [${mark(session.expiredTokenConcurrency.pass)}] exactly one refresh, all succeed`,
    `People search: "${search.typist.typed}" typed at ${search.typist.keyDelayMs} ms per key, Graph +${search.typist.graphLatencyMs} ms`,
    `  [${mark(search.typist.targetMet.bffRequests)}] ${search.typist.bffSearchRequests} search request(s) to the BFF (${search.typist.directorySearchRequests} with the directory; target <= 2)`,
    `  [${mark(search.typist.targetMet.graphRoundTrips)}] ${search.typist.graphRoundTripsPerSearch} Graph round trip(s) per search (target <= 2)`,
    `  (info) after the last key: first results ${search.typist.msUntilFirstResults} ms, directory results ${search.typist.msUntilDirectoryResults} ms; local rendered first: ${search.typist.localRenderedFirst}`,
    ...downloadSummary(download),
    `  (info) warm search: BFF ${search.warmSearchCost.bff.requestsPerSecond} req/s (p99 ${search.warmSearchCost.bff.p99Ms} ms) vs bare Hono ${search.warmSearchCost.bareHono.requestsPerSecond} req/s: ratio ${search.warmSearchCost.throughputRatio}`,
    ...loadSummary(load),
    '',
    `${pass ? 'All targets met.' : 'Some targets missed.'} Results written to ${file}`,
  ].join('\n'),
);
process.exit(pass ? 0 : 1);
