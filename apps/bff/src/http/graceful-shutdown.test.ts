import { once } from 'node:events';
import { Agent, createServer, get, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown, type GracefulShutdown } from './graceful-shutdown';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/** A real server whose fetch handler the test writes, wrapped as main.ts wraps the BFF. */
async function serve(
  handler: (request: Request, shutdown: GracefulShutdown) => Response | Promise<Response>,
) {
  const shutdown = createGracefulShutdown({ drainTimeoutMs: 1500, quietMs: 100, settleMs: 50 });
  const listener = getRequestListener((request) => handler(request, shutdown));
  const server = createServer(shutdown.track(listener as RequestListener));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { shutdown, server, url };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A GET with node:http (keep-alive agent optional); resolves with status, headers and the whole body. */
function request(url: string, agent?: Agent) {
  return new Promise<{
    status: number;
    headers: IncomingMessage['headers'];
    body: string;
    complete: boolean;
  }>((resolve, reject) => {
    get(url, agent ? { agent } : {}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('graceful shutdown', () => {
  it('finishes a request in flight, sends new GETs elsewhere (503) but serves other methods, then refuses connections', async () => {
    const { shutdown, server, url } = await serve(async (req) => {
      if (new URL(req.url).pathname === '/slow') await sleep(600);
      return new Response(`${req.method} served`);
    });
    const slow = request(`${url}/slow`);
    await sleep(50);
    expect(shutdown.inFlight()).toBe(1);
    const drained = shutdown.drain(server);
    // Step 1: still listening. A GET is answered 503 at once (the load balancer passes it on)…
    const get = await request(`${url}/new`);
    expect(get).toMatchObject({ status: 503, headers: { 'retry-after': '1', connection: 'close' } });
    // …and a POST, which a load balancer never sends twice, is served.
    const post = await fetch(`${url}/new`, { method: 'POST', body: 'x' });
    expect(await post.text()).toBe('POST served');
    // Step 2, once nothing came for quietMs: new connections are refused.
    await sleep(250);
    await expect(request(`${url}/later`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await slow).toMatchObject({ status: 200, body: 'GET served', complete: true });
    const result = await drained;
    expect(result).toMatchObject({ cut: 0, steppedOut: 1 });
    expect(result.waitedMs).toBeLessThan(1500);
  });

  it('answers /readyz 503 and Connection: close on a kept-alive connection while draining', async () => {
    const { shutdown, server, url } = await serve(async (req) => {
      if (new URL(req.url).pathname === '/slow') await sleep(500);
      return Response.json({ status: 'ready' });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const warm = await request(`${url}/readyz`, agent);
    expect(warm.status).toBe(200);
    const slow = request(`${url}/slow`); // holds the drain open (its own connection)
    await sleep(50);
    const drained = shutdown.drain(server);
    const probe = await request(`${url}/readyz`, agent); // the connection opened before the drain
    expect(probe.status).toBe(503);
    expect(JSON.parse(probe.body)).toEqual({ status: 'draining' });
    expect(probe.headers.connection).toBe('close');
    expect((await slow).status).toBe(200);
    await drained;
    agent.destroy();
  });

  it('ends an event stream cleanly and cancels its source', async () => {
    let cancelled = false;
    const { shutdown, server, url } = await serve((_req, s) => {
      const source = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        },
        cancel() {
          cancelled = true;
        },
      });
      return s.endOnDrain(new Response(source, { headers: { 'content-type': 'text/event-stream' } }));
    });
    const stream = request(`${url}/events`);
    await sleep(100);
    const started = performance.now();
    const result = await shutdown.drain(server);
    const events = await stream;
    expect(events).toMatchObject({ status: 200, body: 'data: first\n\n', complete: true });
    expect(cancelled).toBe(true);
    expect(result.cut).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000); // not held to the drain timeout
  });

  it('cuts what is still in flight when the bound is reached', async () => {
    const { shutdown, server, url } = await serve(() => new Promise<Response>(() => {}));
    const hung = request(`${url}/hung`).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    await sleep(50);
    const result = await shutdown.drain(server);
    expect(result.cut).toBe(1);
    expect(result.waitedMs).toBeGreaterThanOrEqual(1400);
    expect(await hung).toBe('ECONNRESET');
  });

  it('refuses negative durations', () => {
    expect(() => createGracefulShutdown({ drainTimeoutMs: -1 })).toThrow(TypeError);
    expect(() => createGracefulShutdown({ quietMs: Number.NaN })).toThrow(/quietMs/);
  });
});
