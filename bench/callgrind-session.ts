/**
 * Instructions per signed-in request, counted by valgrind's callgrind: `npx tsx
 * bench/callgrind-session.ts`. CPU time on this shared 2-CPU machine moves by ±15 % between runs;
 * an instruction count doesn't depend on what else runs, so it shows a change of 1–2 % and names
 * the native functions behind it (V8's runtime, builtins, libc), which a V8 profile lumps together.
 *
 * It runs the session bench's server (apps/bff/test/support/bench-server.ts) under callgrind with
 * instrumentation off, warms both sides up with autocannon, then for each round and side switches
 * counting on for `CALLGRIND_REQUESTS` requests (50 connections) and dumps. It prints instructions
 * per request for each dump, and the last round's self cost per function, bare against BFF, largest
 * differences first. JavaScript is named from V8's `--perf-basic-prof` map, everything else from
 * the node binary's symbols.
 *
 * Read it with care: a major GC or an optimising compile that falls inside a measured window adds
 * 10–30k instructions per request to that dump (look for `Marking`, `Sweeper` or `compiler::` rows),
 * so compare rounds and take the lower. It counts user-space instructions only: no system time, no
 * cache misses. A change it shows still needs a timing (a microbenchmark, `bench/profile-compare.ts`).
 *
 * Needs `valgrind` (Debian package). `CALLGRIND_REQUESTS` (default 2000), `CALLGRIND_WARMUP`
 * (requests per side before counting, default 6000), `CALLGRIND_ROUNDS` (default 2), `CALLGRIND_TOP`
 * (rows, default 40). Output files go to `bench/.tmp-callgrind/` (git-ignored); V8's map is removed
 * once read. About two minutes.
 */
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchMessage, BenchReply } from '../apps/bff/test/support/bench-server';

const requests = Number(process.env.CALLGRIND_REQUESTS ?? 2000);
const warmup = Number(process.env.CALLGRIND_WARMUP ?? 6000);
const rounds = Number(process.env.CALLGRIND_ROUNDS ?? 2);
const top = Number(process.env.CALLGRIND_TOP ?? 40);
const dir = fileURLToPath(new URL('./.tmp-callgrind/', import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// fork() runs `execPath` with node's arguments: a wrapper puts valgrind in front of node.
const wrapper = `${dir}valgrind-node.sh`;
writeFileSync(
  wrapper,
  `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file ` +
    `--callgrind-out-file=${dir}callgrind.out.%p "${process.execPath}" "$@"\n`,
);
chmodSync(wrapper, 0o755);
const child = fork(fileURLToPath(new URL('../apps/bff/test/support/bench-server.ts', import.meta.url)), [], {
  execPath: wrapper,
  execArgv: ['--perf-basic-prof', '--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const send = (message: BenchMessage) => child.send(message);
const control = (...args: string[]) =>
  execFileSync('callgrind_control', [...args, String(child.pid)], { timeout: 120_000, stdio: 'ignore' });

try {
  const ready = await new Promise<BenchReply>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  if (ready.type !== 'ready') throw new Error('bench server did not start');
  const load = async (url: string, amount: number) => {
    const result = await autocannon({
      url: url + ready.sessionPath,
      headers: { cookie: ready.cookie, 'x-csrf': '1' },
      connections: 50,
      amount,
      timeout: 60,
    });
    if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  };
  const sides = { bare: ready.bareUrl, bff: ready.bffUrl };
  for (const url of Object.values(sides)) await load(url, warmup);
  control('--instr=on');
  const dumps: { name: string; file?: string }[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const [side, url] of Object.entries(sides)) {
      control('--zero');
      await load(url, requests);
      control(`--dump=${side}-${round}`);
      dumps.push({ name: `${side} round ${round}` });
    }
  }
  control('--instr=off');

  // Dumps are numbered in order: callgrind.out.<pid>.1, .2, …
  const files = readdirSync(dir)
    .filter((file) => /^callgrind\.out\.\d+\.\d+$/.test(file))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  const names = perfMap(child.pid!);
  rmSync(`/tmp/perf-${child.pid}.map`, { force: true }); // V8 writes it there; read, it is not needed
  const costs = files.map((file) => selfCosts(readFileSync(dir + file, 'utf8'), names));
  for (const [i, cost] of costs.entries()) {
    const total = [...cost.values()].reduce((sum, value) => sum + value, 0);
    console.log(
      `${dumps[i]?.name ?? files[i]}: ${Math.round(total / requests).toLocaleString('en')} instructions per request`,
    );
  }
  const [bare, bff] = costs.slice(-2);
  if (bare && bff) {
    const rows = [...new Set([...bare.keys(), ...bff.keys()])]
      .map((name) => [name, (bare.get(name) ?? 0) / requests, (bff.get(name) ?? 0) / requests] as const)
      .sort((a, b) => b[2] - b[1] - (a[2] - a[1]));
    console.log(`\n| function (last round, self) | bare | BFF | difference |\n|---|---:|---:|---:|`);
    for (const [name, a, b] of rows.slice(0, top)) {
      console.log(`| ${name.slice(0, 110)} | ${Math.round(a)} | ${Math.round(b)} | ${Math.round(b - a)} |`);
    }
  }
} finally {
  send({ type: 'stop' });
  setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
}

interface MapEntry {
  start: number;
  end: number;
  name: string;
}

/** V8's `/tmp/perf-<pid>.map` (`--perf-basic-prof`): where each piece of generated code lies. */
function perfMap(pid: number): MapEntry[] {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const entries: MapEntry[] = [];
  for (const line of readFileSync(`/tmp/perf-${pid}.map`, 'utf8').split('\n')) {
    const [start, size, ...name] = line.split(' ');
    if (!start || !size) continue;
    const at = Number.parseInt(start, 16);
    entries.push({
      start: at,
      end: at + Number.parseInt(size, 16),
      name: `JS ${name
        .join(' ')
        .replace(/^(JS:|LazyCompile:|Function:)?[~*^+]?/, '')
        .replaceAll('file://', '')
        .replaceAll(root, '')}`,
    });
  }
  return entries.sort((a, b) => a.start - b.start);
}

function nameAt(entries: MapEntry[], address: number): string {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const entry = entries[middle]!;
    if (address < entry.start) high = middle - 1;
    else if (address >= entry.end) low = middle + 1;
    else return entry.name;
  }
  return 'JIT code (unnamed)';
}

/**
 * Self cost per function of one callgrind dump (its `fn=` blocks; the cost line after a `calls=`
 * line is the callee's inclusive cost and is skipped). Compressed names (`fn=(12) name`, later
 * `fn=(12)`) are expanded; generated code, named by address, is looked up in the perf map.
 */
function selfCosts(text: string, entries: MapEntry[]): Map<string, number> {
  const costs = new Map<string, number>();
  const compressed = new Map<string, string>();
  const expand = (spec: string) => {
    const match = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!match) return spec;
    if (match[2] !== undefined) compressed.set(match[1]!, match[2]);
    return compressed.get(match[1]!) ?? spec;
  };
  let current: string | undefined;
  let afterCall = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      const name = expand(line.slice(3));
      current = name.startsWith('0x') ? nameAt(entries, Number.parseInt(name.split(/['\s]/)[0]!, 16)) : name;
      afterCall = false;
    } else if (line.startsWith('cfn=')) {
      expand(line.slice(4));
    } else if (line.startsWith('calls=')) {
      afterCall = true;
    } else if (/^[\d+*-]/.test(line)) {
      if (afterCall) {
        afterCall = false;
        continue;
      }
      const cost = Number(line.split(' ')[1]);
      if (current !== undefined && cost > 0) costs.set(current, (costs.get(current) ?? 0) + cost);
    }
  }
  return costs;
}
