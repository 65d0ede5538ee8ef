/**
 * Download-proxy benchmark (issue 10), against what a user runs (`e2e/support/stack.ts`): the 256 MiB
 * "Campaign footage.mp4" of Marketing's library, fetched
 *
 * - directly from the emulator (its SharePoint `/_api/v2.0/.../content` with the picker's
 *   SharePoint-audience token, following the 302 to the pre-authenticated download URL), and
 * - through the BFF (`GET /api/sharepoint/drives/:driveId/items/:itemId/content`, which gets a Graph
 *   token, asks Graph for the content and streams the bytes on),
 *
 * alternately, `rounds` times each. Targets: BFF throughput ≥ 80 % of direct (best rounds), and the
 * BFF's resident memory (VmRSS of its process, sampled every 20 ms) grows by less than 64 MiB.
 */
import { readFileSync } from 'node:fs';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/support/chromium';
import { signInAs } from '../e2e/support/fixtures';
import { startStack } from '../e2e/support/stack';

const FILE_NAME = 'Campaign footage.mp4';
const TARGET_RATIO = 0.8;
const TARGET_RSS_GROWTH_MIB = 64;

export interface DownloadBenchResult {
  file: { name: string; bytes: number };
  rounds: number;
  directMiBps: number[];
  bffMiBps: number[];
  /** Best BFF round ÷ best direct round. */
  throughputRatio: number;
  bffRss: { beforeMiB: number; peakMiB: number; growthMiB: number };
  targetMet: { throughputRatio: boolean; rssGrowth: boolean };
  pass: boolean;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function drain(response: Response): Promise<number> {
  if (!response.ok || !response.body) throw new Error(`download answered ${response.status}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

export async function runDownloadBench(options: { rounds: number }): Promise<DownloadBenchResult> {
  const drive = contosoSeed.drives?.find((d) => d.items.some((item) => item.name === FILE_NAME));
  const item = drive?.items.find((i) => i.name === FILE_NAME);
  if (!drive || !item) throw new Error(`The demo seed has no "${FILE_NAME}".`);

  const stack = await startStack({ logLevel: 'error' });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, 'megan@contoso.test', { baseUrl: stack.appUrl });
    const cookie = (await context.cookies(stack.appUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const bffHeaders = { cookie, 'x-csrf': '1' };

    const tokenResponse = await fetch(`${stack.appUrl}/api/sharepoint/token`, {
      method: 'POST',
      headers: { ...bffHeaders, origin: stack.appUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ resource: stack.emulator.sharepointUrl }),
    });
    if (!tokenResponse.ok) throw new Error(`the picker token answered ${tokenResponse.status}`);
    const { accessToken } = (await tokenResponse.json()) as { accessToken: string };

    const ids = `drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(item.id)}/content`;
    const direct = async () =>
      drain(
        await fetch(`${stack.emulator.sharepointUrl}/_api/v2.0/${ids}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        }),
      );
    const viaBff = async () =>
      drain(await fetch(`${stack.appUrl}/api/sharepoint/${ids}`, { headers: bffHeaders }));

    const timed = async (run: () => Promise<number>) => {
      const started = performance.now();
      const bytes = await run();
      const seconds = (performance.now() - started) / 1000;
      return { bytes, mibps: Math.round((bytes / 1024 / 1024 / seconds) * 10) / 10 };
    };

    const rssBefore = rssMiB(stack.bffPid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMiB(stack.bffPid));
    }, 20);
    const directMiBps: number[] = [];
    const bffMiBps: number[] = [];
    let bytes = 0;
    try {
      for (let round = 0; round < options.rounds; round += 1) {
        const d = await timed(direct);
        const b = await timed(viaBff);
        if (d.bytes !== b.bytes) throw new Error(`direct gave ${d.bytes} bytes, the BFF ${b.bytes}`);
        bytes = b.bytes;
        directMiBps.push(d.mibps);
        bffMiBps.push(b.mibps);
        process.stderr.write(
          `  download round ${round + 1}/${options.rounds}: direct ${d.mibps} MiB/s, BFF ${b.mibps} MiB/s\n`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    const ratio = Math.round((Math.max(...bffMiBps) / Math.max(...directMiBps)) * 1000) / 1000;
    const growth = Math.round((rssPeak - rssBefore) * 10) / 10;
    const targetMet = { throughputRatio: ratio >= TARGET_RATIO, rssGrowth: growth < TARGET_RSS_GROWTH_MIB };
    return {
      file: { name: FILE_NAME, bytes },
      rounds: options.rounds,
      directMiBps,
      bffMiBps,
      throughputRatio: ratio,
      bffRss: {
        beforeMiB: Math.round(rssBefore * 10) / 10,
        peakMiB: Math.round(rssPeak * 10) / 10,
        growthMiB: growth,
      },
      targetMet,
      pass: targetMet.throughputRatio && targetMet.rssGrowth,
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}
