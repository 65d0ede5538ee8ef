import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/**
 * Stopping without dropping anyone (SIGTERM behind a load balancer):
 *
 *   const shutdown = createGracefulShutdown({ drainTimeoutMs: 8000 });
 *   const server = http.createServer(shutdown.track(listener));
 *   …
 *   await shutdown.drain(server); // then close the database and exit
 *
 * `drain` stops accepting connections (the load balancer's next connect is refused and it tries
 * another instance), closes idle keep-alive connections, answers `/readyz` with 503 and tells every
 * later response `Connection: close`, ends server-sent event streams (the browser's EventSource
 * reconnects, through the load balancer, to another instance), and waits for the requests in flight
 * up to `drainTimeoutMs`; whatever is still open then is cut.
 */
export interface GracefulShutdownOptions {
  /** How long `drain` waits for requests in flight (default 8 s: a 10 s stop budget minus closing). */
  drainTimeoutMs?: number;
  /** The readiness path answered 503 while draining (default `/readyz`). */
  readinessPath?: string;
}

export interface DrainResult {
  /** Requests still in flight when the wait ended (0: drained). */
  cut: number;
  waitedMs: number;
}

export interface GracefulShutdown {
  readonly draining: boolean;
  /** Requests whose response has not finished. */
  inFlight(): number;
  /** Wraps the server's request listener: counts requests in flight and answers while draining. */
  track(listener: RequestListener): RequestListener;
  /**
   * A streamed response (server-sent events) that ends cleanly when draining starts: the stream's
   * source is cancelled (the handler's abort callbacks run) and the body is closed, so the client
   * sees a complete chunked response, not a cut connection.
   */
  endOnDrain(response: Response): Response;
  drain(server: Server): Promise<DrainResult>;
}

export function createGracefulShutdown(options: GracefulShutdownOptions = {}): GracefulShutdown {
  const drainTimeoutMs = options.drainTimeoutMs ?? 8000;
  if (!(drainTimeoutMs >= 0)) throw new TypeError('createGracefulShutdown: drainTimeoutMs must be >= 0.');
  const readinessPath = options.readinessPath ?? '/readyz';
  const active = new Set<ServerResponse>();
  const onDrain = new Set<() => void>();
  let draining = false;
  let idle: (() => void) | undefined;
  let stopping: Server | undefined;

  const finished = (res: ServerResponse) => {
    active.delete(res);
    if (!stopping) return;
    // Its connection may now be idle (keep-alive): close it, so the client reconnects elsewhere.
    const server = stopping;
    setImmediate(() => server.closeIdleConnections());
    if (active.size === 0) idle?.();
  };

  return {
    get draining() {
      return draining;
    },
    inFlight: () => active.size,

    track(listener) {
      return function tracked(req: IncomingMessage, res: ServerResponse) {
        if (draining) {
          // A request on a connection that was already open: served, then the connection closes.
          res.shouldKeepAlive = false;
          if (req.url === readinessPath || req.url?.startsWith(`${readinessPath}?`)) {
            res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
            res.end(JSON.stringify({ status: 'draining' }));
            return;
          }
        }
        active.add(res);
        res.once('close', () => finished(res));
        listener(req, res);
      };
    },

    endOnDrain(response) {
      const source = response.body;
      if (!source) return response;
      const reader = source.getReader();
      let stop: (() => void) | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          stop = () => {
            reader.cancel(new Error('draining')).catch(() => {});
            try {
              controller.close();
            } catch {
              // already closed or errored
            }
          };
          if (draining) stop();
          else onDrain.add(stop);
        },
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              if (stop) onDrain.delete(stop);
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            if (stop) onDrain.delete(stop);
            if (!draining) controller.error(error);
          }
        },
        cancel(reason) {
          if (stop) onDrain.delete(stop);
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    },

    async drain(server) {
      const started = performance.now();
      draining = true;
      stopping = server;
      server.close(); // no new connections; Node also closes the idle keep-alive ones
      server.closeIdleConnections();
      // Responses not yet started say `Connection: close`; the others' connections close when idle.
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      for (const stop of [...onDrain]) stop();
      onDrain.clear();
      if (active.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainTimeoutMs);
          timer.unref();
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const cut = active.size;
      server.closeAllConnections();
      return { cut, waitedMs: Math.round(performance.now() - started) };
    },
  };
}
