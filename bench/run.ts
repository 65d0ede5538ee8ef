/**
 * `pnpm bench`: every benchmark of the BRIEF's performance targets, in one run, so ratios compare
 * numbers taken on the same machine at the same time. Prints one JSON document and writes it to
 * `bench/results/<date>.json`. `BENCH_DURATION` (seconds per load phase, default 5),
 * `BENCH_ROUNDS` (alternating rounds per comparison, default 3) and `BENCH_CONNECTIONS` (default 50)
 * tune the load phases. Exits 1 when a target is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runSessionBench } from './session';

const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
if (!(durationSeconds > 0) || !(connections > 0) || !Number.isInteger(rounds) || rounds < 1) {
  console.error(
    'BENCH_DURATION and BENCH_CONNECTIONS must be positive numbers, BENCH_ROUNDS a positive integer.',
  );
  process.exit(1);
}

const startedAt = new Date();
const session = await runSessionBench({ durationSeconds, connections, rounds });

const results = {
  startedAt: startedAt.toISOString(),
  machine: {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
  },
  session,
};
const pass = session.sessionEndpoint.pass && session.expiredTokenConcurrency.pass;

const json = JSON.stringify({ ...results, pass }, null, 2);
console.log(json);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${json}\n`);
console.error(`\nResults written to ${file}`);
process.exit(pass ? 0 : 1);
