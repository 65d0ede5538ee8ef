/**
 * Session benchmarks (issue 4):
 * - throughput and p99 latency of `GET /api/auth/session` with a valid session, against a bare Hono
 *   handler for the same path on the same machine, 50 connections each; target ratio ≥ 0.67,
 *   p99 < 10 ms;
 * - 200 concurrent requests on a session whose access token has expired: exactly one refresh at the
 *   token endpoint, and all 200 succeed.
 *
 * The servers run in a child process (apps/bff/test/support/bench-server.ts) so autocannon does not
 * share their event loop.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

type Reply =
  | { type: 'ready'; bffUrl: string; bareUrl: string; cookie: string; sessionPath: string }
  | { type: 'counters'; refreshTokenGrants: number }
  | { type: 'cpu'; micros: number }
  | { type: 'ok' };

export interface LoadResult {
  requestsPerSecond: number;
  /** Server CPU time per request (user + system): steadier than throughput on a busy machine. */
  serverCpuMicrosPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface SessionBenchResult {
  sessionEndpoint: {
    connections: number;
    durationSeconds: number;
    rounds: number;
    /** The median round of each side (by requests per second). */
    bareHono: LoadResult;
    bff: LoadResult;
    roundsRequestsPerSecond: { bareHono: number[]; bff: number[] };
    throughputRatio: number;
    /** Bare CPU per request ÷ BFF CPU per request: the same comparison, measured in CPU time. */
    cpuRatio: number;
    targetRatio: number;
    targetP99Ms: number;
    pass: boolean;
  };
  expiredTokenConcurrency: {
    requests: number;
    succeeded: number;
    refreshTokenGrants: number;
    pass: boolean;
  };
}

const serverFile = fileURLToPath(new URL('../apps/bff/test/support/bench-server.ts', import.meta.url));

export async function runSessionBench(options: {
  durationSeconds: number;
  connections: number;
  rounds: number;
}): Promise<SessionBenchResult> {
  const child = fork(serverFile, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: Reply[] = [];
  const waiters: ((reply: Reply) => void)[] = [];
  child.on('message', (reply: Reply) => {
    const waiter = waiters.shift();
    if (waiter) waiter(reply);
    else replies.push(reply);
  });
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      const queued = replies.shift();
      if (queued) return resolve(queued);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
  const ask = async (message: object) => {
    child.send(message);
    return next();
  };

  try {
    const ready = await next();
    if (ready.type !== 'ready') throw new Error('bench server did not start');
    const headers = { cookie: ready.cookie, 'x-csrf': '1' };
    const cpu = async () => {
      const reply = await ask({ type: 'cpu' });
      return reply.type === 'cpu' ? reply.micros : Number.NaN;
    };
    const load = async (url: string, duration: number): Promise<LoadResult> => {
      const before = await cpu();
      const result = await measure({
        url: url + ready.sessionPath,
        headers,
        connections: options.connections,
        duration,
      });
      const micros = (await cpu()) - before;
      return { ...result, serverCpuMicrosPerRequest: round(micros / Math.max(1, result.total), 1) };
    };

    // Warm both up (JIT, SQLite page cache), then alternate the two, round after round, so a noisy
    // neighbour on the machine weighs on both sides; the ratio uses each side's median round.
    await load(ready.bareUrl, 2);
    await load(ready.bffUrl, 2);
    const bareRounds: LoadResult[] = [];
    const bffRounds: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      bareRounds.push(await load(ready.bareUrl, options.durationSeconds));
      bffRounds.push(await load(ready.bffUrl, options.durationSeconds));
    }
    const bareHono = median(bareRounds);
    const bff = median(bffRounds);
    const throughputRatio = round(bff.requestsPerSecond / bareHono.requestsPerSecond, 3);
    const cpuRatio = round(bareHono.serverCpuMicrosPerRequest / bff.serverCpuMicrosPerRequest, 3);

    await ask({ type: 'resetCounters' });
    await ask({ type: 'advance', ms: 11 * 60_000 }); // 10-minute access tokens: now expired
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(ready.bffUrl + ready.sessionPath, { headers }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    const counters = await ask({ type: 'counters' });
    const refreshTokenGrants = counters.type === 'counters' ? counters.refreshTokenGrants : -1;
    const succeeded = statuses.filter((s) => s === 200).length;

    return {
      sessionEndpoint: {
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        rounds: options.rounds,
        bareHono,
        bff,
        roundsRequestsPerSecond: {
          bareHono: bareRounds.map((r) => r.requestsPerSecond),
          bff: bffRounds.map((r) => r.requestsPerSecond),
        },
        throughputRatio,
        cpuRatio,
        targetRatio: 0.67,
        targetP99Ms: 10,
        pass: throughputRatio >= 0.67 && bff.p99Ms < 10 && bff.errors === 0 && bff.non2xx === 0,
      },
      expiredTokenConcurrency: {
        requests: statuses.length,
        succeeded,
        refreshTokenGrants,
        pass: refreshTokenGrants === 1 && succeeded === statuses.length,
      },
    };
  } finally {
    if (child.exitCode === null) {
      child.send({ type: 'stop' });
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill();
    }
  }
}

async function measure(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
}): Promise<Omit<LoadResult, 'serverCpuMicrosPerRequest'> & { total: number }> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: options.duration,
    pipelining: 1,
  });
  return {
    requestsPerSecond: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number, digits: number) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
