import { createHash } from 'node:crypto';
import { createReadStream, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { expect, test } from '@playwright/test';
import { type Cluster, type Instance, type SignedIn, startCluster } from '../../support/cluster';

// Instances dying under load, behind nginx: SIGTERM drains, SIGKILL loses nothing that was confirmed.
let cluster: Cluster;
test.beforeAll(async () => {
  test.setTimeout(60_000);
  cluster = await startCluster({ instances: 2, logLevel: 'info' });
  cluster.emulator.control.setAccessTokenLifetime(3600);
});
test.afterEach(async () => {
  cluster.emulator.control.clearFaults();
  let restarted = false;
  for (const instance of cluster.instances) {
    if (!instance.alive) {
      await instance.restart();
      restarted = true;
    }
  }
  // nginx left the stopped instance out for fail_timeout (5 s): the next test starts once it is back
  // in, or killing the other instance would leave nginx none to send to.
  if (restarted) await sleep(6000);
});
test.afterAll(async () => {
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const json = { 'content-type': 'application/json' };

const FOOTAGE = (() => {
  const drive = contosoSeed.drives?.find((d) => d.items.some((i) => i.name === 'Campaign footage.mp4'));
  const item = drive?.items.find((i) => i.name === 'Campaign footage.mp4');
  if (!drive || !item) throw new Error('The demo seed has no "Campaign footage.mp4".');
  return { driveId: drive.id, itemId: item.id };
})();

interface Outcomes {
  /** Status (or network error code) → count, per kind of request. */
  gets: Record<string, number>;
  posts: Record<string, number>;
  /** Message texts the client believes were posted (after its own checks). */
  posted: string[];
}

/**
 * Users at work through nginx until `stop()`: session checks, and message posts that the client makes
 * idempotent itself: a post whose outcome it did not hear (502, a cut connection) is looked up in the
 * conversation before it is sent again.
 */
function startTraffic(user: SignedIn, conversationId: string, workers = 4) {
  const outcomes: Outcomes = { gets: {}, posts: {}, posted: [] };
  const count = (table: Record<string, number>, key: string) => {
    table[key] = (table[key] ?? 0) + 1;
  };
  let running = true;
  let n = 0;
  const hasMessage = async (text: string) => {
    const response = await user.api(`/api/conversations/${conversationId}`);
    const body = (await response.json()) as { messages: { text: string }[] };
    return body.messages.some((m) => m.text === text);
  };
  const postOnce = async (text: string) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const response = await user.api(`/api/conversations/${conversationId}/messages`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ text }),
        });
        count(outcomes.posts, String(response.status));
        await response.body?.cancel();
        if (response.status === 201) return;
      } catch (error) {
        count(outcomes.posts, (error as { cause?: { code?: string } }).cause?.code ?? 'network');
      }
      if (await hasMessage(text)) return;
    }
    throw new Error(`could not post "${text}"`);
  };
  const worker = async (w: number) => {
    while (running) {
      try {
        const response = await user.api('/api/auth/session');
        count(outcomes.gets, String(response.status));
        await response.body?.cancel();
      } catch (error) {
        count(outcomes.gets, (error as { cause?: { code?: string } }).cause?.code ?? 'network');
      }
      const text = `message ${w}-${n++}`;
      await postOnce(text);
      outcomes.posted.push(text);
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    outcomes,
    async stop() {
      running = false;
      await all;
      return outcomes;
    },
  };
}

/** A new TCP connection's fate: undefined when it was accepted, else the error code. */
function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** Whether new connections to the port are refused within `ms` (polled every 20 ms). */
async function refusedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if ((await connectError(port)) === 'ECONNREFUSED') return true;
    await sleep(20);
  }
  return false;
}

async function newConversation(user: SignedIn, title: string): Promise<string> {
  const response = await user.api('/api/conversations', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Every message the client counted as posted is there exactly once, and nothing else. */
async function expectMessagesOnce(user: SignedIn, conversationId: string, posted: string[]) {
  const response = await user.api(`/api/conversations/${conversationId}`);
  const { messages } = (await response.json()) as { messages: { text: string }[] };
  expect(messages.map((m) => m.text).sort()).toEqual([...posted].sort());
}

/** A POST straight to one instance (bypassing nginx), as the SPA would send it through nginx. */
function postTo(instance: Instance, user: SignedIn, path: string, body: unknown) {
  return fetch(`${instance.url}${path}`, {
    method: 'POST',
    headers: {
      ...json,
      cookie: user.cookie,
      'x-csrf': '1',
      origin: cluster.url,
      'sec-fetch-site': 'same-origin',
    },
    body: JSON.stringify(body),
  });
}

async function sha256Of(response: Response): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function waitForJob(
  user: SignedIn,
  jobId: string,
  until: (job: JobView) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await user.api(`/api/attachment-jobs/${jobId}`);
    const job = (await response.json()) as JobView;
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId}: ${JSON.stringify(job)}`);
    await sleep(100);
  }
}

interface JobView {
  state: string;
  files: { bytesDone: number; bytesTotal: number; state: string; attachmentId?: string }[];
}

test('SIGTERM: the instance stops accepting, finishes what is in flight, exits 0 within 10 s; clients see no 5xx', async () => {
  const adele = await cluster.signIn('adele@contoso.test');
  const conversationId = await newConversation(adele, 'Draining');
  const [victim, survivor] = cluster.instances as [Instance, Instance];

  // Slow requests: the photo, held 2.5 s by the provider; one lands on each instance (round robin,
  // and each instance fetches the photo itself the first time).
  cluster.emulator.control.fault({ route: '/v1.0/me/photo*', latencyMs: 2500 });
  const slow = Promise.all(
    [0, 1].map(async () => {
      const started = performance.now();
      const response = await adele.api('/api/me/photo');
      await response.arrayBuffer();
      return {
        status: response.status,
        instance: cluster.instanceOf(response),
        ms: performance.now() - started,
      };
    }),
  );
  // An attachment job's event stream open on the victim: a job held by a slow download.
  cluster.emulator.control.fault({ route: 'download', latencyMs: 5000, count: 1 });
  const attach = await postTo(victim, adele, `/api/conversations/${conversationId}/attachments/sharepoint`, {
    items: [FOOTAGE],
  });
  expect(attach.status).toBe(202);
  const { jobId } = (await attach.json()) as { jobId: string };
  const events = await fetch(`${victim.url}/api/attachment-jobs/${jobId}/events`, {
    headers: { cookie: adele.cookie, 'sec-fetch-site': 'same-origin' },
  });
  expect(events.status).toBe(200);
  const eventsRead = events.text();

  const traffic = startTraffic(adele, conversationId);
  let outcomes: Outcomes;
  let exit: Awaited<Instance['exited']>;
  let stoppedInMs: number;
  try {
    await sleep(500);
    const signalledAt = performance.now();
    victim.kill('SIGTERM');
    // Stopped accepting while it still serves the slow requests: a new connection is refused, so
    // nginx sends everything new to the other instance.
    expect(await refusedWithin(victim.port, 5000), cluster.instanceLog(victim.index)).toBe(true);
    expect(victim.alive).toBe(true);
    exit = await victim.exited;
    stoppedInMs = performance.now() - signalledAt;
    // The event stream ended as a complete response (not a cut connection) with the job's state in it.
    expect(await eventsRead).toContain('data: {');
    await sleep(500); // traffic goes on, on the survivor alone
  } finally {
    outcomes = await traffic.stop();
  }

  expect(exit, cluster.instanceLog(victim.index)).toEqual({ code: 0, signal: null });
  expect(stoppedInMs).toBeLessThan(10_000);
  const slowDone = await slow;
  expect(slowDone.map((s) => s.status).every((status) => status === 200 || status === 404)).toBe(true);
  expect(slowDone.map((s) => s.instance?.index).sort()).toEqual([0, 1]);
  expect(slowDone.every((s) => s.ms >= 2400)).toBe(true); // really held across the SIGTERM
  // No 5xx and no network error for anyone through nginx; every post made once.
  expect(outcomes.gets).toEqual({ 200: expect.any(Number) });
  expect(outcomes.posts).toEqual({ 201: outcomes.posted.length });
  expect(outcomes.posted.length).toBeGreaterThan(4);
  await expectMessagesOnce(adele, conversationId, outcomes.posted);
  expect(cluster.instanceOf(await adele.api('/api/auth/session'))).toBe(survivor);
});

test('SIGKILL mid-download and mid-attach: retries succeed on the other instance, nothing lost, duplicated or corrupt', async () => {
  test.setTimeout(150_000);
  const megan = await cluster.signIn('megan@contoso.test');
  const conversationId = await newConversation(megan, 'Crash');

  // A large attached file to download (256 MiB), attached through nginx before anything dies.
  const first = await megan.api(`/api/conversations/${conversationId}/attachments/sharepoint`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ items: [FOOTAGE] }),
  });
  expect(first.status).toBe(202);
  const done = await waitForJob(megan, ((await first.json()) as { jobId: string }).jobId, (j) =>
    ['done', 'failed', 'cancelled'].includes(j.state),
  );
  expect(done.state, JSON.stringify(done)).toBe('done');
  const attachmentId = done.files[0]?.attachmentId;
  expect(attachmentId, JSON.stringify(done)).toBeTruthy();

  // The download starts through nginx; whoever serves it is the victim.
  const download = await megan.api(`/api/attachments/${attachmentId}/content`);
  expect(download.status).toBe(200);
  const victim = cluster.instanceOf(download);
  if (!victim) throw new Error('no instance named in the download response');
  const reader = (download.body as ReadableStream<Uint8Array>).getReader();
  let received = 0;
  while (received < 8 * 1024 * 1024) received += (await reader.read()).value?.byteLength ?? 0;

  // An attach job running on the victim, part-way through its download.
  const attach = await postTo(victim, megan, `/api/conversations/${conversationId}/attachments/sharepoint`, {
    items: [FOOTAGE],
  });
  expect(attach.status).toBe(202);
  const { jobId } = (await attach.json()) as { jobId: string };
  await waitForJob(megan, jobId, (j) => (j.files[0]?.bytesDone ?? 0) > 0 || j.state !== 'running');

  const traffic = startTraffic(megan, conversationId);
  let outcomes: Outcomes;
  try {
    await sleep(400);
    victim.kill('SIGKILL');
    await victim.exited;
    await sleep(1000);
  } finally {
    outcomes = await traffic.stop();
  }

  // The interrupted download breaks for the client (nginx cannot resume a response it started) …
  const rest = await (async () => {
    try {
      for (;;) {
        const { done: ended, value } = await reader.read();
        if (ended) return 'ended';
        received += value.byteLength;
      }
    } catch {
      return 'broken';
    }
  })();
  expect(rest === 'broken' || received < 256 * 1024 * 1024).toBe(true);
  // … and the client's retry is served whole by the other instance.
  const retry = await megan.api(`/api/attachments/${attachmentId}/content`);
  expect(retry.status).toBe(200);
  expect(cluster.instanceOf(retry)).not.toBe(victim);
  const list = await megan.api(`/api/conversations/${conversationId}/attachments`);
  const { attachments } = (await list.json()) as {
    attachments: { id: string; size: number; sha256: string }[];
  };
  const original = attachments.find((a) => a.id === attachmentId);
  expect(await sha256Of(retry)).toEqual({ sha256: original?.sha256, bytes: original?.size });

  // Requests in flight on the victim were retried by nginx (GETs) or checked by the client (posts):
  // the session lives on, no GET failed, and every message is there exactly once.
  expect(outcomes.gets).toEqual({ 200: expect.any(Number) });
  expect(outcomes.posted.length).toBeGreaterThan(4);
  await expectMessagesOnce(megan, conversationId, outcomes.posted);
  expect((await megan.api('/api/auth/session')).status).toBe(200);

  // The interrupted job: complete or absent, never corrupt. Every listed attachment is whole, and
  // every finished file in the shared directory is the footage, byte for byte.
  const job = (await (await megan.api(`/api/attachment-jobs/${jobId}`)).json()) as JobView;
  expect(['running', 'failed', 'done']).toContain(job.state);
  for (const attachment of attachments) {
    expect(attachment.sha256).toBe(original?.sha256);
    expect(attachment.size).toBe(original?.size);
  }
  const dir = cluster.env.ATTACHMENTS_DIR as string;
  const files = readdirSync(dir, { withFileTypes: true }).filter(
    (f) => f.isFile() && !f.name.startsWith('.partial-'),
  );
  expect(files.length).toBeGreaterThanOrEqual(attachments.length);
  for (const file of files) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(join(dir, file.name))) hash.update(chunk as Buffer);
    expect(hash.digest('hex'), file.name).toBe(original?.sha256);
  }
});
