/**
 * Compares the signed-in request's CPU cost of several source trees under the same contention:
 * `npx tsx bench/profile-compare.ts <root> [<root>…]`, each root a checkout of this repository
 * (`.` for this one; an older commit with `git worktree add`, or `git archive <commit> | tar -x`
 * with symlinks to this checkout's `node_modules`). One server process (bench/profile-compare-server.ts)
 * serves every tree's BFF and a bare Hono handler on one database and one session; load alternates
 * between them in short phases, round after round, so a busy machine weighs on all alike. Prints
 * the CPU µs per request of each round and the medians, and each tree's CPU ratio to bare Hono.
 *
 * `COMPARE_ROUNDS` (default 5), `COMPARE_SECONDS` (per phase, default 3), `BENCH_CONNECTIONS`
 * (default 50). On a shared machine, differences under about 5 µs are within one run's noise.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error('usage: tsx bench/profile-compare.ts <checkout root> [<checkout root>…]');
  process.exit(1);
}
const rounds = Number(process.env.COMPARE_ROUNDS ?? 5);
const seconds = Number(process.env.COMPARE_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

const server = fork(fileURLToPath(new URL('./profile-compare-server.ts', import.meta.url)), roots, {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
try {
  const [ready] = (await once(server, 'message')) as [
    { urls: Record<string, string>; cookie: string; sessionPath: string },
  ];
  const cpu = async () => {
    server.send('cpu');
    return ((await once(server, 'message')) as [{ micros: number }])[0].micros;
  };
  const headers = { cookie: ready.cookie, 'x-csrf': '1' };
  const phase = async (name: string, duration: number) => {
    const before = await cpu();
    const result = await autocannon({
      url: ready.urls[name] + ready.sessionPath,
      headers,
      connections,
      duration,
    });
    if (result.non2xx || result.errors)
      throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return Math.round((((await cpu()) - before) / result.requests.total) * 10) / 10;
  };
  const names = ['bare', ...roots];
  for (const name of names) await phase(name, 1); // warm-up
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) perRound[name]!.push(await phase(name, seconds));
    console.error(
      `round ${round + 1}: ${names.map((name) => `${name} ${perRound[name]!.at(-1)}`).join(', ')} µs/req`,
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const bare = median(perRound.bare!);
  for (const name of names) {
    const value = median(perRound[name]!);
    console.log(
      `${name.padEnd(24)} median ${value} µs/req${name === 'bare' ? '' : `, CPU ratio ${(bare / value).toFixed(3)}`} (rounds: ${perRound[name]!.join(', ')})`,
    );
  }
} finally {
  server.kill();
}
