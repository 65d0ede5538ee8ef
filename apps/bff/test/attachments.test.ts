/**
 * Attaching files from SharePoint end to end, against the in-process emulator's Graph and download
 * URLs: what gets stored (and its sha256), per-file refusals before any byte is downloaded, retries
 * and resumes, cancel, restarts, and serving the bytes back. Database-related scenarios run on
 * SQLite and PostgreSQL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AttachmentJob,
  type AttachmentList,
  attachmentJobSchema,
  attachmentListSchema,
  attachmentRoutes,
  type ConversationCreated,
  type DriveItemRef,
  sharingRoutes,
} from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../src/db/test-databases';
import type { Browser } from './browser';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions } from './harness';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const dialects = (await testDatabases()).map((d) => d.name);
const path = (template: string, params: Record<string, string>) =>
  template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let harness: Harness;
/** Which BFF instance serves the browsers (1 after a restart). */
let serving = 0;
afterEach(async () => {
  await harness?.close();
});

async function start(options: HarnessOptions = {}) {
  harness = await createHarness(options);
  serving = 0;
  harness.emulator.control.setAccessTokenLifetime(60 * 60);
  return harness;
}

async function signedIn(alias: string): Promise<Browser> {
  const browser = harness.newBrowser({ instance: () => serving });
  const end = await harness.signIn(browser, `${alias}@contoso.test`);
  expect(end.url.href).toBe(`${APP_ORIGIN}/`);
  return browser;
}

/** A file or folder of Marketing's library by name. */
function marketing(name: string): DriveItemRef & { size: number } {
  const site = harness.emulator.seed.sites!.find((s) => s.path === '/sites/marketing')!;
  const drive = harness.emulator.seed.drives!.find((d) => d.siteId === site.id)!;
  const item = drive.items.find((i) => i.name === name);
  if (!item) throw new Error(`No ${name} in Marketing's library.`);
  const content = item.content as { kind: string; size?: number } | undefined;
  return { driveId: drive.id, itemId: item.id, size: content?.kind === 'pattern' ? content.size! : 0 };
}
const ref = ({ driveId, itemId }: DriveItemRef) => ({ driveId, itemId });

const send = (browser: Browser, method: string, url: string, body?: unknown) =>
  harness.api(browser, url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

async function conversationOf(browser: Browser) {
  const response = await send(browser, 'POST', sharingRoutes.conversations, { title: 'Launch' });
  expect(response.status).toBe(201);
  return ((await response.json()) as ConversationCreated).id;
}

async function attach(browser: Browser, id: string, items: DriveItemRef[]): Promise<string> {
  const response = await send(browser, 'POST', path(attachmentRoutes.attachFromSharepoint, { id }), {
    items: items.map(ref),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { jobId: string }).jobId;
}

async function job(browser: Browser, jobId: string): Promise<AttachmentJob> {
  const response = await harness.api(browser, path(attachmentRoutes.job, { jobId }));
  expect(response.status).toBe(200);
  return attachmentJobSchema.parse(await response.json());
}

async function finished(browser: Browser, jobId: string): Promise<AttachmentJob> {
  await harness.deps.attachmentJobs.idle();
  return job(browser, jobId);
}

async function attachments(browser: Browser, id: string): Promise<AttachmentList['attachments']> {
  const response = await harness.api(browser, path(attachmentRoutes.conversationAttachments, { id }));
  expect(response.status).toBe(200);
  return attachmentListSchema.parse(await response.json()).attachments;
}

async function contentOf(browser: Browser, attachmentId: string, headers: Record<string, string> = {}) {
  return harness.api(browser, path(attachmentRoutes.attachmentContent, { id: attachmentId }), { headers });
}

const downloads = () => harness.emulator.control.counters().downloads;
/** Until the job's first file is downloading (generous: a busy machine reads the metadata slowly). */
const downloading = (browser: Browser, jobId: string) =>
  vi.waitUntil(async () => (await job(browser, jobId)).files[0]!.state === 'downloading', {
    timeout: 10_000,
    interval: 20,
  });
const partials = async () => (await readdir(harness.attachmentsDir)).filter((n) => n.startsWith('.partial-'));

for (const dialect of dialects) {
  describe(`attachments on ${dialect}`, () => {
    it('attaches two files with the sha256 of their bytes, lists them and serves them back (Range, safe headers)', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const readme = marketing('Readme.txt');
      const guidelines = marketing('Brand guidelines.pdf');
      const jobId = await attach(adele, id, [readme, guidelines]);

      const done = await finished(adele, jobId);
      expect(done.state).toBe('done');
      expect(done.files).toEqual([
        expect.objectContaining({
          ...ref(readme),
          name: 'Readme.txt',
          state: 'done',
          attachmentId: expect.any(String),
        }),
        expect.objectContaining({ ...ref(guidelines), name: 'Brand guidelines.pdf', state: 'done' }),
      ]);
      for (const file of done.files) expect(file.bytesDone).toBe(file.bytesTotal);

      const list = await attachments(adele, id);
      // Attached at the same moment: by name.
      expect(list.map((a) => [a.name, a.contentType])).toEqual([
        ['Brand guidelines.pdf', 'application/pdf'],
        ['Readme.txt', expect.stringMatching(/^text\/plain/)],
      ]);
      for (const attachment of list) {
        const response = await contentOf(adele, attachment.id);
        expect(response.status).toBe(200);
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(bytes.byteLength).toBe(attachment.size);
        expect(sha256(bytes)).toBe(attachment.sha256);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('content-disposition')).toBe(
          `attachment; filename="${attachment.name}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
        );
        // The same bytes as Graph's own download, through the proxy.
        const source = done.files.find((file) => file.attachmentId === attachment.id)!;
        const proxied = await harness.api(adele, path(attachmentRoutes.driveItemContent, ref(source)));
        expect(proxied.status).toBe(200);
        expect(sha256(new Uint8Array(await proxied.arrayBuffer()))).toBe(attachment.sha256);
      }

      const pdf = list[0]!;
      // The proxy passes one range on and answers with SharePoint's part.
      const pdfSource = done.files.find((file) => file.attachmentId === pdf.id)!;
      const proxiedPart = await harness.api(adele, path(attachmentRoutes.driveItemContent, ref(pdfSource)), {
        headers: { range: 'bytes=0-3' },
      });
      expect(proxiedPart.status).toBe(206);
      expect(proxiedPart.headers.get('content-range')).toBe(`bytes 0-3/${pdf.size}`);
      expect(await proxiedPart.text()).toBe('%PDF');
      const partial = await contentOf(adele, pdf.id, { range: 'bytes=0-3' });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe(`bytes 0-3/${pdf.size}`);
      expect(await partial.text()).toBe('%PDF');
      const beyond = await contentOf(adele, pdf.id, { range: `bytes=${pdf.size}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${pdf.size}`);
      expect(await partials()).toEqual([]);
    });

    it('lets only editors attach and only the job owner see the job; viewers read the attachments', async () => {
      await start({ database: dialect });
      const megan = await signedIn('megan');
      const adele = await signedIn('adele');
      const lee = await signedIn('lee');
      const id = await conversationOf(megan);
      const userIdOf = async (browser: Browser) =>
        ((await (await harness.api(browser, '/api/auth/session')).json()) as { user: { id: string } }).user
          .id;
      const adeleId = await userIdOf(adele);
      const shared = await send(megan, 'PUT', path(sharingRoutes.permissions, { id }), {
        grants: [
          {
            principal: {
              type: 'user',
              source: 'local',
              id: await userIdOf(megan),
            },
            role: 'owner',
          },
          { principal: { type: 'user', source: 'local', id: adeleId }, role: 'viewer' },
        ],
      });
      expect(shared.status).toBe(200);
      const items = { items: [ref(marketing('Readme.txt'))] };
      const url = path(attachmentRoutes.attachFromSharepoint, { id });
      expect((await send(adele, 'POST', url, items)).status).toBe(403);
      expect((await send(lee, 'POST', url, items)).status).toBe(404);
      const bad = await send(megan, 'POST', url, { items: [{ driveId: 'b!x', itemId: '../../me' }] });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringContaining('itemId'),
      });

      const jobId = await attach(megan, id, [marketing('Readme.txt')]);
      await finished(megan, jobId);
      for (const other of [adele, lee]) {
        expect((await harness.api(other, path(attachmentRoutes.job, { jobId }))).status).toBe(404);
        expect((await harness.api(other, path(attachmentRoutes.jobEvents, { jobId }))).status).toBe(404);
        expect((await send(other, 'DELETE', path(attachmentRoutes.job, { jobId }))).status).toBe(404);
      }
      const [attachment] = await attachments(adele, id);
      expect((await contentOf(adele, attachment!.id)).status).toBe(200);
      expect((await contentOf(lee, attachment!.id)).status).toBe(404);
      expect((await harness.api(lee, path(attachmentRoutes.conversationAttachments, { id }))).status).toBe(
        404,
      );
    });

    it('gives a file the user may not read a per-file access_denied while the others attach', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const jobId = await attach(adele, id, [marketing('Salary review.xlsx'), marketing('Readme.txt')]);
      const done = await finished(adele, jobId);
      expect(done.files.map((f) => [f.state, f.error?.code])).toEqual([
        ['failed', 'access_denied'],
        ['done', undefined],
      ]);
      expect((await attachments(adele, id)).map((a) => a.name)).toEqual(['Readme.txt']);
    });

    it('refuses folders, refused types and files over the limit before downloading a byte', async () => {
      await start({
        database: dialect,
        env: { ATTACHMENT_MAX_BYTES: '1 MiB', ATTACHMENT_REFUSED_TYPES: '.pptx' },
      });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const footage = marketing('Campaign footage.mp4');
      const jobId = await attach(adele, id, [
        footage,
        marketing('Brand'),
        marketing('Launch deck.pptx'),
        marketing('Readme.txt'),
      ]);
      const done = await finished(adele, jobId);
      expect(done.files.map((f) => [f.name, f.state, f.error?.code])).toEqual([
        ['Campaign footage.mp4', 'failed', 'too_large'],
        ['Brand', 'failed', 'folder'],
        ['Launch deck.pptx', 'failed', 'type_refused'],
        ['Readme.txt', 'done', undefined],
      ]);
      expect(done.files[0]!.bytesTotal).toBe(footage.size);
      expect(downloads().items[footage.itemId]).toBeUndefined();
      expect(downloads().requests).toBe(1);
      // Nor is a refused type served by the download proxy ("open without attaching").
      const deck = await harness.api(
        adele,
        path(attachmentRoutes.driveItemContent, ref(marketing('Launch deck.pptx'))),
      );
      expect(deck.status).toBe(400);
      expect(await deck.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(/^itemId: /),
      });
      expect(downloads().requests).toBe(1);
    });

    it('retries a cut connection and a 429 and stores the right bytes', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const pdf = marketing('Brand guidelines.pdf');
      harness.emulator.control.fault({ route: 'download', cutAfterBytes: 100, count: 1 });
      harness.emulator.control.fault({ route: 'download', status: 429, retryAfter: 0, count: 1 });
      const jobId = await attach(adele, id, [pdf, marketing('Readme.txt')]);
      const done = await finished(adele, jobId);
      expect(done.files.map((f) => f.state)).toEqual(['done', 'done']);
      expect(downloads().items[pdf.itemId]!.requests).toBe(3); // cut, 429, whole
      const stored = (await attachments(adele, id)).find((a) => a.name === 'Brand guidelines.pdf')!;
      const proxied = await harness.api(adele, path(attachmentRoutes.driveItemContent, ref(pdf)));
      expect(sha256(new Uint8Array(await proxied.arrayBuffer()))).toBe(stored.sha256);
    });

    it('fails a download that keeps breaking cleanly: network error, no attachment, no temporary file', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      harness.emulator.control.fault({ route: 'download', cutAfterBytes: 10, count: 50 });
      const jobId = await attach(adele, id, [marketing('Brand guidelines.pdf')]);
      const done = await finished(adele, jobId);
      expect(done.files[0]).toMatchObject({ state: 'failed', error: { code: 'network' } });
      expect(await attachments(adele, id)).toEqual([]);
      expect(await partials()).toEqual([]);
      expect(await readdir(harness.attachmentsDir)).toEqual([]);
    });

    it('cancels a running job: downloads aborted, nothing stored, no temporary file', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      harness.emulator.control.fault({ route: 'download', latencyMs: 2000, count: 1 });
      const jobId = await attach(adele, id, [marketing('Brand guidelines.pdf'), marketing('Readme.txt')]);
      await downloading(adele, jobId);
      // The temporary file is created just after the state says "downloading" (the download itself
      // is held 2 s by the fault): wait for it rather than race it on a loaded machine.
      await vi.waitUntil(async () => (await partials()).length === 1, { timeout: 10_000, interval: 20 });
      expect((await send(adele, 'DELETE', path(attachmentRoutes.job, { jobId }))).status).toBe(204);
      const cancelled = await job(adele, jobId);
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.files.map((f) => f.state)).toEqual(['cancelled', 'cancelled']);
      expect(await attachments(adele, id)).toEqual([]);
      expect(await readdir(harness.attachmentsDir)).toEqual([]);
    });

    it('lets a user run three jobs at once: a fourth (even sent at the same moment) is 429 with Retry-After, others are not held back', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const megan = await signedIn('megan');
      harness.emulator.control.fault({ route: 'download', latencyMs: 3000, count: 20 });
      const starts = await Promise.all(
        Array.from({ length: 5 }, () =>
          send(adele, 'POST', path(attachmentRoutes.attachFromSharepoint, { id }), {
            items: [ref(marketing('Readme.txt'))],
          }),
        ),
      );
      expect(starts.map((r) => r.status).sort()).toEqual([202, 202, 202, 429, 429]);
      const refused = starts.find((r) => r.status === 429)!;
      expect(refused.headers.get('retry-after')).toBe('10');
      expect(await refused.json()).toEqual({
        error: 'rate_limited',
        message: expect.stringContaining('already have 3 attachment jobs running'),
      });
      // Another user's job is not counted against Adele's, nor hers against Megan.
      await attach(megan, await conversationOf(megan), [marketing('Readme.txt')]);
      // Once one of hers ends (cancelled here), she may start another.
      const running = (await Promise.all(starts.filter((r) => r.status === 202).map((r) => r.json()))) as {
        jobId: string;
      }[];
      expect(
        (await send(adele, 'DELETE', path(attachmentRoutes.job, { jobId: running[0]!.jobId }))).status,
      ).toBe(204);
      await attach(adele, id, [marketing('Readme.txt')]);
    });

    it('after a crash mid-download, the next start marks the job failed and removes its temporary file', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      harness.emulator.control.fault({ route: 'download', latencyMs: 1500, count: 1 });
      const jobId = await attach(adele, id, [marketing('Brand guidelines.pdf')]);
      await downloading(adele, jobId);
      harness.deps.attachmentJobs.abandon(); // the process dies: nothing more is written
      await harness.deps.attachmentJobs.idle();
      expect(await partials()).toHaveLength(1);

      await harness.startInstance();
      serving = 1; // the same browser, now served by the restarted process
      const after = await job(adele, jobId);
      expect(after.state).toBe('done');
      expect(after.files[0]).toMatchObject({
        state: 'failed',
        error: { code: 'internal', message: expect.stringMatching(/restart/) },
      });
      expect(await partials()).toEqual([]);
      expect(await readdir(harness.attachmentsDir)).toEqual([]);
      expect(await attachments(adele, id)).toEqual([]);
    });

    it('deleting a conversation cancels its running job and deletes its files, not those of another conversation', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const kept = await conversationOf(adele);
      const keptJob = await finished(adele, await attach(adele, kept, [marketing('Logo.png')]));
      const keptId = keptJob.files[0]!.attachmentId!;
      const id = await conversationOf(adele);
      const readme = await finished(adele, await attach(adele, id, [marketing('Readme.txt')]));
      expect((await readdir(harness.attachmentsDir)).sort()).toEqual(
        [keptId, readme.files[0]!.attachmentId!].sort(),
      );
      harness.emulator.control.fault({ route: 'download', latencyMs: 3000, count: 1 });
      const running = await attach(adele, id, [marketing('Brand guidelines.pdf')]);
      await downloading(adele, running);
      // The temporary file is opened just after the state says downloading (raced on a busy machine).
      await vi.waitUntil(async () => (await partials()).length === 1, { timeout: 10_000, interval: 20 });

      const deleted = await send(adele, 'DELETE', path(sharingRoutes.conversation, { id }));
      expect(deleted.status).toBe(204);
      // The job no longer runs, its temporary file and the conversation's attachment are gone.
      await harness.deps.attachmentJobs.idle();
      expect(await readdir(harness.attachmentsDir)).toEqual([keptId]);
      expect((await harness.api(adele, path(attachmentRoutes.job, { jobId: running }))).status).toBe(404);
      expect(harness.deps.attachmentJobs.subscribe(running, () => {})).toBeUndefined(); // not running
      // The other conversation's attachment is untouched.
      const [other] = await attachments(adele, kept);
      const bytes = new Uint8Array(await (await contentOf(adele, other!.id)).arrayBuffer());
      expect(sha256(bytes)).toBe(other!.sha256);
    });

    it('at start-up, a stored file no attachment row references is deleted and one with a row is kept', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      const done = await finished(adele, await attach(adele, id, [marketing('Readme.txt')]));
      const attachmentId = done.files[0]!.attachmentId!;
      // As a crash between a conversation's deletion and the removal of its files leaves them.
      const orphan = randomUUID();
      await writeFile(join(harness.attachmentsDir, orphan), 'left behind');
      await writeFile(join(harness.attachmentsDir, 'README'), 'not an attachment name: left alone');

      await harness.startInstance();
      serving = 1;
      expect((await readdir(harness.attachmentsDir)).sort()).toEqual(['README', attachmentId].sort());
      const [attachment] = await attachments(adele, id);
      const bytes = new Uint8Array(await (await contentOf(adele, attachment!.id)).arrayBuffer());
      expect(sha256(bytes)).toBe(attachment!.sha256);
    });

    it('with several instances, a job whose worker stopped is recovered only once its heartbeat is stale', async () => {
      await start({ database: dialect });
      const adele = await signedIn('adele');
      const id = await conversationOf(adele);
      harness.emulator.control.fault({ route: 'download', latencyMs: 1500, count: 1 });
      const jobId = await attach(adele, id, [marketing('Readme.txt')]);
      await downloading(adele, jobId);
      harness.deps.attachmentJobs.abandon();
      await harness.deps.attachmentJobs.idle();
      const other = await harness.startInstance({ everyUnfinished: false });
      expect(await other.deps.attachmentJobs.recover({})).toBe(0); // its heartbeat is fresh
      expect(await partials()).toHaveLength(1);
      harness.advance(31_000);
      expect(await other.deps.attachmentJobs.recover({})).toBe(1);
      expect(await partials()).toEqual([]);
    });
  });
}

describe('job events', () => {
  it('streams the job as server-sent events without X-CSRF, from a snapshot to its end', async () => {
    await start();
    const adele = await signedIn('adele');
    const id = await conversationOf(adele);
    const jobId = await attach(adele, id, [marketing('Readme.txt'), marketing('Logo.png')]);
    const response = await adele.api(path(attachmentRoutes.jobEvents, { jobId }), {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => attachmentJobSchema.parse(JSON.parse(block.slice('data: '.length))));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)!.state).toBe('done');
    expect(events.at(-1)!.files.map((f) => f.state)).toEqual(['done', 'done']);

    const crossSite = await adele.api(path(attachmentRoutes.jobEvents, { jobId }), {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(401);
  });
});

describe('a 256 MiB file', () => {
  it('is stored with the right sha256, resumed with Range after a cut and a 429, while resident memory grows by less than 64 MiB', async () => {
    await start();
    const adele = await signedIn('adele');
    const id = await conversationOf(adele);
    const footage = marketing('Campaign footage.mp4');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    // Cut after 64 MiB, then a 429: resumed with Range from where it stopped.
    harness.emulator.control.fault({ route: 'download', cutAfterBytes: 64 * 1024 * 1024, count: 1 });
    harness.emulator.control.fault({ route: 'download', status: 429, retryAfter: 0, count: 1 });
    const jobId = await attach(adele, id, [footage]);
    const done = await finished(adele, jobId);
    clearInterval(sampler);
    const counted = downloads().items[footage.itemId]!;
    expect(counted.requests).toBe(3);
    // Not one byte fetched twice: at most a chunk lost at the cut is fetched again.
    expect(counted.bytes).toBeGreaterThanOrEqual(footage.size);
    expect(counted.bytes - footage.size).toBeLessThanOrEqual(1024 * 1024);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(done.files[0]).toMatchObject({ state: 'done', bytesDone: footage.size, bytesTotal: footage.size });
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);

    const [attachment] = await attachments(adele, id);
    expect(attachment!.size).toBe(footage.size);
    // The emulator's bytes, hashed as they stream through the download proxy.
    const proxied = await harness.api(adele, path(attachmentRoutes.driveItemContent, ref(footage)));
    const hash = createHash('sha256');
    for await (const chunk of proxied.body!) hash.update(chunk);
    expect(hash.digest('hex')).toBe(attachment!.sha256);
  });
});
