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
 * `drain` works in two steps.
 *
 * 1. Stepping out (at most `stepOutMs`): still listening, but a new GET or HEAD is answered 503 at
 *    once. nginx passes such a request to another instance (`proxy_next_upstream http_503`; the
 *    client sees that instance's answer) and counts a failure, so it stops opening connections here.
 *    Other methods are served as usual: a POST that nginx has sent is never retried elsewhere, so it
 *    must not fail. The step ends when no connection came in for `quietMs`.
 * 2. Closing: the listening socket closes (a connection still in its accept queue would be reset, and
 *    nginx does not retry a POST it wrote on one: hence step 1), server-sent event streams end cleanly
 *    (the browser's EventSource reconnects elsewhere), and requests in flight get the rest of
 *    `drainTimeoutMs`; then every connection left is closed.
 *
 * Throughout, `/readyz` answers 503 and every response says `Connection: close`.
 */
export interface GracefulShutdownOptions {
  /** The whole drain's bound (default 8 s: a 10 s stop budget minus closing the database). */
  drainTimeoutMs?: number;
  /** Longest step 1 (default 1.5 s). */
  stepOutMs?: number;
  /** No new connection for this long ends step 1 (default 300 ms). */
  quietMs?: number;
  /** Nothing in flight for this long ends step 2 early (default 250 ms). */
  settleMs?: number;
  /** The readiness path answered 503 while draining (default `/readyz`). */
  readinessPath?: string;
}

export interface DrainResult {
  /** Requests still in flight when the wait ended (0: drained). */
  cut: number;
  /** Requests answered 503 in step 1 (passed on to another instance by the load balancer). */
  steppedOut: number;
  waitedMs: number;
}

export interface GracefulShutdown {
  readonly draining: boolean;
  /** Requests whose response has not finished. */
  inFlight(): number;
  /** Wraps the server's request listener: counts requests in flight and answers while draining. */
  track(listener: RequestListener): RequestListener;
  /**
   * A streamed response (server-sent events) that ends cleanly when the listener closes: the stream's
   * source is cancelled (the handler's abort callbacks run) and the body is closed, so the client
   * sees a complete chunked response, not a cut connection.
   */
  endOnDrain(response: Response): Response;
  drain(server: Server): Promise<DrainResult>;
}

const STEP_OUT_BODY = JSON.stringify({
  error: 'internal',
  message: 'This server is stopping. Try again: another one will answer.',
});

export function createGracefulShutdown(options: GracefulShutdownOptions = {}): GracefulShutdown {
  const drainTimeoutMs = options.drainTimeoutMs ?? 8000;
  const stepOutMs = options.stepOutMs ?? 1500;
  const quietMs = options.quietMs ?? 300;
  const settleMs = options.settleMs ?? 250;
  for (const [name, value] of Object.entries({ drainTimeoutMs, stepOutMs, quietMs, settleMs })) {
    if (!(value >= 0)) throw new TypeError(`createGracefulShutdown: ${name} must be >= 0.`);
  }
  const readinessPath = options.readinessPath ?? '/readyz';
  const active = new Set<ServerResponse>();
  const onClose = new Set<() => void>();
  let phase: 'serving' | 'stepping-out' | 'closing' = 'serving';
  let steppedOut = 0;
  let lastArrival = 0;
  let check: (() => void) | undefined;

  const finished = (res: ServerResponse) => {
    active.delete(res);
    check?.();
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

  return {
    get draining() {
      return phase !== 'serving';
    },
    inFlight: () => active.size,

    track(listener) {
      return function tracked(req: IncomingMessage, res: ServerResponse) {
        if (phase !== 'serving') {
          lastArrival = performance.now();
          res.shouldKeepAlive = false; // served, then the connection closes
          if (req.url === readinessPath || req.url?.startsWith(`${readinessPath}?`)) {
            res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
            res.end(JSON.stringify({ status: 'draining' }));
            return;
          }
          if (phase === 'stepping-out' && (req.method === 'GET' || req.method === 'HEAD')) {
            steppedOut++;
            res.writeHead(503, {
              'Content-Type': 'application/json',
              'Cache-Control': 'no-store',
              'Retry-After': '1',
            });
            res.end(req.method === 'HEAD' ? undefined : STEP_OUT_BODY);
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
          if (phase === 'closing') stop();
          else onClose.add(stop);
        },
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              if (stop) onClose.delete(stop);
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            if (stop) onClose.delete(stop);
            if (phase !== 'closing') controller.error(error);
          }
        },
        cancel(reason) {
          if (stop) onClose.delete(stop);
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    },

    async drain(server) {
      const started = performance.now();
      const deadline = started + drainTimeoutMs;
      // Responses not yet started say `Connection: close`.
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;

      // Step 1: still listening; GETs are sent elsewhere until the load balancer stops coming.
      phase = 'stepping-out';
      lastArrival = started;
      const arrived = () => {
        lastArrival = performance.now();
      };
      server.on('connection', arrived);
      const stepOutEnd = Math.min(started + stepOutMs, deadline);
      while (performance.now() < stepOutEnd && performance.now() - lastArrival < quietMs) {
        await sleep(
          Math.min(quietMs - (performance.now() - lastArrival), stepOutEnd - performance.now()) + 1,
        );
      }

      // Step 2: stop listening, but unlike http's close() keep the connections already accepted (a
      // request may be on its way on one; Node would count it idle and close it).
      phase = 'closing';
      NetServer.prototype.close.call(server);
      for (const stop of [...onClose]) stop();
      onClose.clear();
      await new Promise<void>((resolve) => {
        const bound = setTimeout(done, Math.max(0, deadline - performance.now()));
        let settle: NodeJS.Timeout | undefined;
        check = () => {
          if (active.size > 0) return;
          clearTimeout(settle);
          settle = setTimeout(() => {
            if (active.size === 0 && performance.now() - lastArrival >= settleMs) done();
            else check?.();
          }, settleMs);
        };
        function done() {
          clearTimeout(bound);
          clearTimeout(settle);
          check = undefined;
          resolve();
        }
        check();
      });
      server.off('connection', arrived);
      const cut = active.size;
      server.closeAllConnections(); // idle keep-alive ones, and whatever outlived the wait
      return { cut, steppedOut, waitedMs: Math.round(performance.now() - started) };
    },
  };
}
