/**
 * Where the signed-in request's time goes: `npx tsx bench/profile-session.ts`. Starts the session
 * bench's server (bench/session.ts → apps/bff/test/support/bench-server.ts), alternates load phases
 * on the bare Hono handler and on the BFF's `GET /api/auth/session` (CPU µs per request and
 * requests per second of each, unprofiled), then profiles one more phase of each with V8's sampling
 * profiler and prints the self time by module side by side and the BFF's by function
 * (bench/profile-table.ts), in µs per request. The profiles are written to
 * `bench/.tmp-profiles/session-{bare,bff}-<date>.cpuprofile` (open them in Chrome DevTools or VS Code for
 * the call tree).
 *
 * `PROFILE_DURATION` (seconds per phase, default 5), `PROFILE_ROUNDS` (default 3), `PROFILE_INTERVAL`
 * (sampling interval in µs, default 200),
 * `BENCH_CONNECTIONS` (default 50). Quicker and quieter than `pnpm bench`: no download or typist.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareModules, formatRows, profileTables } from './profile-table';
import { type LoadResult, loadPhase, startBenchServer } from './session';

const duration = Number(process.env.PROFILE_DURATION ?? 5);
const rounds = Number(process.env.PROFILE_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const intervalMicros = Number(process.env.PROFILE_INTERVAL ?? 200);
const hook = fileURLToPath(new URL('./profile-hook.ts', import.meta.url));
// bench/.tmp-* is git-ignored: profiles are large and machine-specific.
const dir = fileURLToPath(new URL('./.tmp-profiles/', import.meta.url));
mkdirSync(dir, { recursive: true });

const server = await startBenchServer({ execArgv: ['--import', hook] });
const { ready } = server;
try {
  const phase = (url: string, seconds = duration) =>
    loadPhase(server, url, { duration: seconds, connections });
  await phase(ready.bareUrl, 2);
  await phase(ready.bffUrl, 2);
  const bare: LoadResult[] = [];
  const bff: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await phase(ready.bareUrl));
    bff.push(await phase(ready.bffUrl));
    const [b, g] = [bare.at(-1)!, bff.at(-1)!];
    console.error(
      `round ${round + 1}: bare ${b.requestsPerSecond} req/s ${b.serverCpuMicrosPerRequest} µs/req; ` +
        `BFF ${g.requestsPerSecond} req/s ${g.serverCpuMicrosPerRequest} µs/req (user ${g.serverUserCpuMicrosPerRequest}); ` +
        `ratio ${(g.requestsPerSecond / b.requestsPerSecond).toFixed(3)}, CPU ratio ${(b.serverCpuMicrosPerRequest / g.serverCpuMicrosPerRequest).toFixed(3)}; ` +
        `other processes ${Math.round(100 * Math.max(b.otherCpuShare, g.otherCpuShare))} %`,
    );
    if (g.non2xx || g.errors) console.error(`  BFF: ${g.non2xx} non-2xx, ${g.errors} errors`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const bareCpu = median(bare.map((r) => r.serverCpuMicrosPerRequest));
  const bffCpu = median(bff.map((r) => r.serverCpuMicrosPerRequest));
  const bareRps = median(bare.map((r) => r.requestsPerSecond));
  const bffRps = median(bff.map((r) => r.requestsPerSecond));
  console.error(
    `median: bare ${bareRps} req/s ${bareCpu} µs/req; BFF ${bffRps} req/s ${bffCpu} µs/req; ` +
      `throughput ratio ${(bffRps / bareRps).toFixed(3)}, CPU ratio ${(bareCpu / bffCpu).toFixed(3)}`,
  );

  // Profile one phase of each side: the table compares them module by module, per request.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profile = async (side: 'bare' | 'bff', url: string) => {
    const file = `${dir}session-${side}-${stamp}.cpuprofile`;
    await server.ask({ type: 'profileStart', intervalMicros });
    const result = await phase(url);
    await server.ask({ type: 'profileStop', file });
    const tables = profileTables(JSON.parse(readFileSync(file, 'utf8')));
    console.log(
      `Profiled ${side} phase: ${result.requests} requests, ${result.serverCpuMicrosPerRequest} µs/req of CPU ` +
        `(user ${result.serverUserCpuMicrosPerRequest}) with the profiler on; ` +
        `${(tables.totalMicros / result.requests).toFixed(1)} µs/req sampled on the main thread. ${file}`,
    );
    return { result, tables };
  };
  const bareProfile = await profile('bare', ready.bareUrl);
  const bffProfile = await profile('bff', ready.bffUrl);
  console.log(`\n${compareModules(bareProfile, bffProfile, 40)}`);
  console.log(
    `\n${formatRows('BFF function', bffProfile.tables.byFunction, 50, bffProfile.result.requests)}`,
  );
} finally {
  await server.stop();
}
