import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * Stopping without dropping anyone (SIGTERM behind a load balancer):
 *
 *   const shutdown = createGracefulShutdown({ drainTimeoutMs: 8000 });
 *   const server = http.createServer(shutdown.track(listener));
 *   …
 *   await shutdown.drain(server); // then close the database and exit
 *
 * `drain` stops accepting connections (the load balancer's next connect is refused and it tries
 * another instance), answers `/readyz` with 503 and tells every later response `Connection: close`,
 * ends server-sent event streams (the browser's EventSource reconnects, through the load balancer,
 * to another instance), and waits for the requests in flight up to `drainTimeoutMs`; then it closes
 * every connection left (idle keep-alive ones, and whatever outlived the wait).
 */
export interface GracefulShutdownOptions {
  /** How long `drain` waits for requests in flight (default 8 s: a 10 s stop budget minus closing). */
  drainTimeoutMs?: number;
  /** Quiet time (nothing in flight, no new connection) that ends the drain early (default 250 ms). */
  settleMs?: number;
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
  const settleMs = options.settleMs ?? 250;
  const active = new Set<ServerResponse>();
  const onDrain = new Set<() => void>();
  let draining = false;
  let check: (() => void) | undefined;

  const finished = (res: ServerResponse) => {
    active.delete(res);
    check?.();
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
      // Stop listening, but unlike http's close() keep the connections that were just accepted:
      // a load balancer may already have written a request on one (Node would count it idle and
      // close it, and nginx never retries a POST it sent).
      NetServer.prototype.close.call(server);
      let lastConnection = performance.now();
      const accepted = () => {
        lastConnection = performance.now();
      };
      server.on('connection', accepted);
      // Responses not yet started say `Connection: close`.
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      for (const stop of [...onDrain]) stop();
      onDrain.clear();
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(done, drainTimeoutMs);
        // Done when nothing is in flight and no connection came in for `settleMs` (its request may
        // not be parsed yet).
        let settle: NodeJS.Timeout | undefined;
        check = () => {
          if (active.size > 0) return;
          clearTimeout(settle);
          settle = setTimeout(() => {
            if (active.size === 0 && performance.now() - lastConnection >= settleMs) done();
            else check?.();
          }, settleMs);
        };
        function done() {
          clearTimeout(deadline);
          clearTimeout(settle);
          check = undefined;
          resolve();
        }
        check();
      });
      server.off('connection', accepted);
      const cut = active.size;
      server.closeAllConnections(); // idle keep-alive ones, and whatever outlived the wait
      return { cut, waitedMs: Math.round(performance.now() - started) };
    },
  };
}
