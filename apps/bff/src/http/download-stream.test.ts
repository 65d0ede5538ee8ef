import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadViaFetch } from './download-stream';

const FILE = Buffer.from('0123456789'.repeat(100_000)); // 1 MB: several socket reads

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = undefined;
});

/** A download host: `/file` (with Range), `/moved` (302), `/cut` (drops the connection mid-body). */
async function downloadHost(seen: IncomingHttpHeaders[] = []): Promise<string> {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/file' }).end();
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': String(FILE.length) });
      res.write(FILE.subarray(0, 1000), () => res.destroy());
    } else {
      const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = match ? Number(match[1]) : 0;
      res.writeHead(match ? 206 : 200, {
        'content-length': String(FILE.length - start),
        ...(match ? { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
        etag: '"v1"',
      });
      res.end(FILE.subarray(start));
    }
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const open = downloadViaFetch(globalThis.fetch);

describe('OpenDownload over fetch', () => {
  it('streams the body with its status and headers, passing the request headers on', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const origin = await downloadHost(seen);
    const answer = await open(new URL('/file', origin), {
      headers: { range: 'bytes=10-' },
      signal: AbortSignal.timeout(5000),
    });
    expect(answer.status).toBe(206);
    expect(answer.header('Content-Range')).toBe(`bytes 10-${FILE.length - 1}/${FILE.length}`);
    expect(answer.header('etag')).toBe('"v1"');
    expect(answer.header('x-missing')).toBeUndefined();
    expect((await buffer(answer.body)).equals(FILE.subarray(10))).toBe(true);
    expect(seen[0]?.range).toBe('bytes=10-');
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('does not follow a redirect', async () => {
    const origin = await downloadHost();
    const answer = await open(new URL('/moved', origin), { headers: {}, signal: AbortSignal.timeout(5000) });
    expect(answer.status).toBe(302);
    expect(answer.header('location')).toBe('/file');
    await answer.discard();
  });

  it('fails the body, not the process, when the connection is cut', async () => {
    const origin = await downloadHost();
    const answer = await open(new URL('/cut', origin), { headers: {}, signal: AbortSignal.timeout(5000) });
    expect(answer.status).toBe(200);
    await expect(buffer(answer.body)).rejects.toThrow();
  });

  it('stops reading when the signal aborts', async () => {
    const origin = await downloadHost();
    const controller = new AbortController();
    const answer = await open(new URL('/file', origin), { headers: {}, signal: controller.signal });
    const reading = buffer(answer.body);
    controller.abort();
    await expect(reading).rejects.toThrow();
  });

  it('rejects when the host cannot be reached', async () => {
    const origin = await downloadHost();
    server!.close();
    await expect(
      open(new URL('/file', origin), { headers: {}, signal: AbortSignal.timeout(5000) }),
    ).rejects.toThrow();
  });
});
