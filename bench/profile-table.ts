/**
 * Turns a V8 `.cpuprofile` (from `node --cpu-prof` or bench/profile-session.ts) into tables of self
 * time: by module (a Gatehouse source file, or a package under node_modules, or a Node internal
 * area) and by function. `npx tsx bench/profile-table.ts <file.cpuprofile> [requests]` prints them;
 * with the request count of the profiled phase, times are also shown in µs per request.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  selfMicros: number;
  share: number;
}

export interface ProfileTables {
  totalMicros: number;
  /** Time the process sat waiting for events (`(idle)`): not CPU time. */
  idleMicros: number;
  byModule: ProfileRow[];
  byFunction: ProfileRow[];
}

/** The module a frame belongs to: a repository path, `pkg:<name>`, `node:<area>` or a V8 label. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) {
    // (garbage collector), (program), (idle), or a native without a script
    return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (pkg) {
    const [, name, rest] = pkg;
    // The server stack's internals are worth telling apart; other packages count as one.
    if (name === 'hono' || name === '@hono/node-server' || name === 'pino') {
      return `pkg:${name}/${rest!.replace(/^dist\/(cjs\/)?/, '')}`;
    }
    return `pkg:${name}`;
  }
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/').slice(0, 2).join('/')}`;
  const repo = path.indexOf('/apps/') >= 0 ? path.slice(path.indexOf('/apps/') + 1) : path;
  const packages = repo.indexOf('/packages/') >= 0 ? repo.slice(repo.indexOf('/packages/') + 1) : repo;
  return packages;
}

export function profileTables(profile: CpuProfile): ProfileTables {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfById = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    // timeDeltas[i] is the time before sample i; attribute the time after it to it instead.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfById.set(id, (selfById.get(id) ?? 0) + Math.max(0, delta));
  }
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfById) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += micros;
      continue;
    }
    total += micros;
    const module = moduleOf(url, functionName);
    modules.set(module, (modules.get(module) ?? 0) + micros);
    const fn = `${functionName || '(anonymous)'} ${module}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .map(([name, selfMicros]) => ({ name, selfMicros, share: total ? selfMicros / total : 0 }))
      .sort((a, b) => b.selfMicros - a.selfMicros);
  return { totalMicros: total, idleMicros: idle, byModule: rows(modules), byFunction: rows(functions) };
}

/** A Markdown table of the top `limit` rows, with µs per request when `requests` is given. */
export function formatRows(title: string, rows: ProfileRow[], limit: number, requests?: number): string {
  const head = requests
    ? `| ${title} | self ms | share | µs/req |\n|---|---:|---:|---:|`
    : `| ${title} | self ms | share |\n|---|---:|---:|`;
  const lines = rows.slice(0, limit).map((row) => {
    const cells = [row.name, (row.selfMicros / 1000).toFixed(1), `${(row.share * 100).toFixed(1)} %`];
    if (requests) cells.push((row.selfMicros / requests).toFixed(2));
    return `| ${cells.join(' | ')} |`;
  });
  return [head, ...lines].join('\n');
}

/**
 * Two profiles' modules side by side in µs per request (`a` the baseline), largest difference first:
 * where the extra time per request goes.
 */
export function compareModules(
  a: { tables: ProfileTables; result: { requests: number } },
  b: { tables: ProfileTables; result: { requests: number } },
  limit: number,
): string {
  const perRequest = (side: typeof a) =>
    new Map(side.tables.byModule.map((row) => [row.name, row.selfMicros / side.result.requests]));
  const [left, right] = [perRequest(a), perRequest(b)];
  const names = [...new Set([...left.keys(), ...right.keys()])];
  const rows = names
    .map((name) => ({ name, a: left.get(name) ?? 0, b: right.get(name) ?? 0 }))
    .sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
  const total = (side: typeof a) => side.tables.totalMicros / side.result.requests;
  return [
    '| module | bare µs/req | BFF µs/req | difference |',
    '|---|---:|---:|---:|',
    `| **all sampled** | ${total(a).toFixed(2)} | ${total(b).toFixed(2)} | ${(total(b) - total(a)).toFixed(2)} |`,
    ...rows
      .slice(0, limit)
      .map(
        (row) =>
          `| ${row.name} | ${row.a.toFixed(2)} | ${row.b.toFixed(2)} | ${(row.b - row.a).toFixed(2)} |`,
      ),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, requestsArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/profile-table.ts <file.cpuprofile> [requests]');
    process.exit(1);
  }
  const requests = requestsArg ? Number(requestsArg) : undefined;
  const tables = profileTables(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  console.log(
    `CPU in the profile: ${(tables.totalMicros / 1000).toFixed(0)} ms (idle ${(tables.idleMicros / 1000).toFixed(0)} ms)` +
      (requests
        ? `, ${(tables.totalMicros / requests).toFixed(1)} µs per request over ${requests} requests`
        : ''),
  );
  console.log(`\n${formatRows('module', tables.byModule, 40, requests)}`);
  console.log(`\n${formatRows('function', tables.byFunction, 60, requests)}`);
}
