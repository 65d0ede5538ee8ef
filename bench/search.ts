/**
 * People-search benchmarks (issue 9), against what a user runs: the Entra emulator and the production
 * BFF serving the built SPA (`e2e/support/stack.ts`), driven in Debian's Chromium.
 *
 * - A scripted typist enters a 6-letter name at 60 ms per key into the share dialog's people picker
 *   while every Graph request takes 100 ms longer (the emulator's fault API). Reported: search requests
 *   the browser sent to the BFF (target ≤ 2), Graph round trips per search (target ≤ 2; a `$batch` is
 *   one), and the time from the last key until local results and until directory results render.
 * - The BFF's cost of one search with a warm cache against a bare Hono handler answering the same
 *   body (autocannon, informational).
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { chromiumArgs, chromiumPath } from '../e2e/support/chromium';
import { signInAs } from '../e2e/support/fixtures';
import { startStack } from '../e2e/support/stack';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPED = 'sanjay';
const KEY_DELAY_MS = 60;
const GRAPH_LATENCY_MS = 100;

export interface SearchBenchResult {
  typist: {
    typed: string;
    keyDelayMs: number;
    graphLatencyMs: number;
    /** Search requests the page sent to the BFF while typing (all sources). */
    bffSearchRequests: number;
    /** Of which asked for the directory (not `sources=local` only). */
    directorySearchRequests: number;
    /** Graph HTTP round trips seen by the emulator ÷ directory searches. */
    graphRoundTripsPerSearch: number;
    /** From the last key until an option is shown. */
    msUntilFirstResults: number;
    /** From the last key until the directory's answer is on screen. */
    msUntilDirectoryResults: number;
    /** Whether local results were on screen before the directory's answer arrived. */
    localRenderedFirst: boolean;
    targetMet: { bffRequests: boolean; graphRoundTrips: boolean };
  };
  warmSearchCost: {
    path: string;
    connections: number;
    durationSeconds: number;
    bareHono: { requestsPerSecond: number; p99Ms: number };
    bff: { requestsPerSecond: number; p99Ms: number; non2xx: number };
    throughputRatio: number;
  };
  pass: boolean;
}

function ensureBuilt() {
  if (existsSync(`${root}apps/bff/dist/main.js`) && existsSync(`${root}apps/web/dist/index.html`)) return;
  console.error('bench: building the BFF and the SPA first (pnpm build)…');
  execFileSync('pnpm', ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function runSearchBench(options: {
  durationSeconds: number;
  connections: number;
}): Promise<SearchBenchResult> {
  ensureBuilt();
  const stack = await startStack({ logLevel: 'error' });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let bare: ChildProcess | undefined;
  try {
    // Sanjay signs in once, so a local account matches the typed name.
    const first = await browser.newContext();
    await signInAs(await first.newPage(), 'sanjay@contoso.test', { baseUrl: stack.appUrl });
    await first.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, 'megan@contoso.test', { baseUrl: stack.appUrl });
    const created = await page.request.post(`${stack.appUrl}/api/conversations`, {
      headers: { 'X-CSRF': '1', Origin: stack.appUrl, 'Content-Type': 'application/json' },
      data: { title: 'Search bench' },
    });
    if (created.status() !== 201) throw new Error(`creating a conversation answered ${created.status()}`);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${stack.appUrl}/conversations/${id}`);
    await page.getByRole('button', { name: 'Share' }).click();
    const picker = page.getByRole('combobox', { name: 'Add people and groups' });
    await picker.waitFor();

    const requests: string[] = [];
    let directoryAnsweredAt = 0;
    page.on('request', (request) => {
      if (request.url().includes('/api/principals/search')) requests.push(request.url());
    });
    page.on('response', (response) => {
      const url = response.url();
      if (url.includes('/api/principals/search') && !/[?&]sources=local(&|$)/.test(url)) {
        directoryAnsweredAt = performance.now();
      }
    });
    stack.emulator.control.fault({ route: 'graph', latencyMs: GRAPH_LATENCY_MS });
    stack.emulator.control.resetCounters();

    await picker.focus();
    await page.keyboard.type(TYPED, { delay: KEY_DELAY_MS });
    const lastKeyAt = performance.now();
    const listbox = page.getByRole('listbox', { name: 'People and groups' });
    await listbox.getByRole('option').first().waitFor({ timeout: 15_000 });
    const firstResultsAt = performance.now();
    const localRenderedFirst = directoryAnsweredAt === 0;
    // The directory's answer: wait for the response, then for the list to stop being stale.
    const deadline = performance.now() + 15_000;
    while (directoryAnsweredAt === 0 && performance.now() < deadline) await page.waitForTimeout(5);
    await page.waitForFunction(() => !document.querySelector('[role=listbox][class*="stale"]'), undefined, {
      timeout: 15_000,
    });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const directoryRenderedAt = performance.now();
    await page.waitForTimeout(500); // anything still in flight shows up in the counts
    stack.emulator.control.clearFaults();

    const graphCounts = stack.emulator.control.counters().graph;
    if (process.env.BENCH_DEBUG) console.error('graph round trips while typing:', graphCounts);
    // Search round trips only: the page may also fetch photos (`/me/photo`) while the dialog is open.
    const graphRoundTrips = Object.entries(graphCounts)
      .filter(([path]) => !path.includes('/photo'))
      .reduce((sum, [, n]) => sum + n, 0);
    const directorySearches = requests.filter((url) => !/[?&]sources=local(&|$)/.test(url)).length;
    const graphRoundTripsPerSearch = directorySearches === 0 ? 0 : graphRoundTrips / directorySearches;

    // ── Warm-cache cost of one search: BFF vs bare Hono with the same body ──────────────────────────
    const cookies = await context.cookies(stack.appUrl);
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const searchPath = `/api/principals/search?q=${TYPED}&types=user,group&limit=20`;
    const warm = await fetch(`${stack.appUrl}${searchPath}`, { headers: { cookie, 'x-csrf': '1' } });
    const body = await warm.text();
    if (!warm.ok) throw new Error(`warm search answered ${warm.status}: ${body}`);
    bare = fork(fileURLToPath(new URL('../apps/bff/test/support/bare-json-server.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_PATH: '/api/principals/search', BENCH_BODY: body },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const bareUrl = await new Promise<string>((resolve, reject) => {
      bare!.once('message', (m: { url: string }) => resolve(m.url));
      bare!.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    const load = (url: string) =>
      autocannon({
        url,
        headers: { cookie, 'x-csrf': '1' },
        connections: options.connections,
        duration: options.durationSeconds,
      });
    const bareResult = await load(`${bareUrl}${searchPath}`);
    const bffResult = await load(`${stack.appUrl}${searchPath}`);
    const round = (n: number) => Math.round(n * 1000) / 1000;

    const typist = {
      typed: TYPED,
      keyDelayMs: KEY_DELAY_MS,
      graphLatencyMs: GRAPH_LATENCY_MS,
      bffSearchRequests: requests.length,
      directorySearchRequests: directorySearches,
      graphRoundTripsPerSearch: round(graphRoundTripsPerSearch),
      msUntilFirstResults: Math.round(firstResultsAt - lastKeyAt),
      msUntilDirectoryResults: Math.round(directoryRenderedAt - lastKeyAt),
      localRenderedFirst,
      targetMet: { bffRequests: requests.length <= 2, graphRoundTrips: graphRoundTripsPerSearch <= 2 },
    };
    return {
      typist,
      warmSearchCost: {
        path: searchPath,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        bareHono: {
          requestsPerSecond: Math.round(bareResult.requests.average),
          p99Ms: bareResult.latency.p99,
        },
        bff: {
          requestsPerSecond: Math.round(bffResult.requests.average),
          p99Ms: bffResult.latency.p99,
          non2xx: bffResult.non2xx,
        },
        throughputRatio: round(bffResult.requests.average / bareResult.requests.average),
      },
      pass: typist.targetMet.bffRequests && typist.targetMet.graphRoundTrips && bffResult.non2xx === 0,
    };
  } finally {
    bare?.send({ type: 'stop' });
    await browser.close();
    await stack.close();
  }
}

// `pnpm exec tsx bench/search.ts`: this benchmark alone (`pnpm bench` runs it so), JSON on stdout,
// with `pnpm bench`'s BENCH_DURATION and BENCH_CONNECTIONS.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runSearchBench({
    durationSeconds: Number(process.env.BENCH_DURATION ?? 5),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.pass ? 0 : 1);
}
