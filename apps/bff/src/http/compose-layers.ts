import type { Context, Env, ErrorHandler, MiddlewareHandler, Next } from 'hono';
import { isThenable } from '../is-thenable';

/** A middleware or handler as hono stores it in a route's match. */
export type Layer = (c: Context, next: () => unknown) => unknown;

/**
 * Runs `after` once the rest of the route has run: at once when `next()` answered without a promise
 * (a route composed by `composeLayers` whose layers were all synchronous), else when it settles.
 * Rejections pass through untouched, as `next().then(after)` would.
 */
export function afterNext(result: unknown, after: () => void): Promise<void> | undefined {
  if (isThenable(result)) return Promise.resolve(result).then(after);
  after();
  return undefined;
}

/** A middleware that answers without a promise when it can (see `composeLayers`). */
export type SyncCapableMiddleware<E extends Env = Env> = (
  c: Context<E>,
  next: Next,
) => Promise<void> | undefined;

/**
 * `middleware` as hono types it. Hono's `compose` awaits whatever a middleware returns, so an answer
 * without a promise is handled; only the type says `Promise`.
 */
export function asMiddleware<E extends Env = Env>(
  middleware: SyncCapableMiddleware<E>,
): MiddlewareHandler<E> {
  return middleware as MiddlewareHandler<E>;
}

/**
 * One route's layers (middleware, then handler) as a single handler that follows hono's `compose`:
 * an error thrown or rejected at a layer goes to `onError` there, the layers outside see its answer
 * as `c.res`; a layer's returned Response becomes `c.res` unless the context was already finalized;
 * `next()` twice throws; the last layer's `next()` is the caller's (hono's not-found step).
 *
 * The difference: when no layer returns a promise, neither does the composed handler. Hono then
 * hands the Response straight back from `app.fetch`, and @hono/node-server writes it at once, as it
 * does for a bare handler. Through `compose` every layer is an `async` step: 8–12 promises resolved
 * per request, each looking up `then` on the Context or Response it resolves with, and
 * node-server's promise path (a `close` listener per response, two more `async` frames).
 *
 * So `next()` answers without a promise when the rest of the route finished synchronously. A layer
 * that awaits it is unaffected; one that chains on it uses `afterNext`.
 */
export function composeLayers(layers: readonly Layer[], onError: ErrorHandler): Layer {
  return function composedLayers(c, next) {
    return new LayerRun(layers, onError, c, next).run();
  };
}

/**
 * One request through composed layers. A class, not closures made per request: under tsx (the
 * bench, tests) esbuild's keepNames wraps each named closure in `Object.defineProperty(fn, 'name')`,
 * about 3.5k instructions each.
 */
class LayerRun {
  #index = -1;

  constructor(
    readonly layers: readonly Layer[],
    readonly onError: ErrorHandler,
    readonly c: Context,
    readonly next: () => unknown,
  ) {}

  run(): Response | Promise<Response> {
    const done = this.dispatch(0);
    return isThenable(done) ? Promise.resolve(done).then(() => this.finish()) : this.finish();
  }

  dispatch(i: number): Context | Promise<Context> {
    if (i <= this.#index) throw new Error('next() called multiple times');
    this.#index = i;
    const { layers } = this;
    // Hono's compose reaches the not-found handler only when no layer answered; the `next` a lone
    // handler gets answers 404 unconditionally, so a finalized response must not reach it.
    if (i === layers.length && this.c.finalized) return this.c;
    const layer = i < layers.length ? layers[i] : i === layers.length ? this.next : undefined;
    if (!layer) return this.c;
    let res: unknown;
    try {
      res = layer(this.c, () => this.dispatch(i + 1));
    } catch (err) {
      return this.fail(err);
    }
    return isThenable(res)
      ? Promise.resolve(res).then(
          (value) => this.settle(value),
          (err) => this.fail(err),
        )
      : this.settle(res);
  }

  /** A layer's answer becomes the response unless one was already made. */
  settle(res: unknown): Context {
    if (res && this.c.finalized === false) this.c.res = res as Response;
    return this.c;
  }

  /** An error at a layer: `onError`'s answer becomes the response (hono's `compose` rule). */
  fail(err: unknown): Context | Promise<Context> {
    if (!(err instanceof Error)) throw err;
    this.c.error = err;
    const res = this.onError(err, this.c);
    return isThenable(res) ? Promise.resolve(res).then((answer) => this.handled(answer)) : this.handled(res);
  }

  handled(answer: Response): Context {
    if (answer) this.c.res = answer;
    return this.c;
  }

  finish(): Response {
    if (!this.c.finalized) {
      throw new Error(
        'Context is not finalized. Did you forget to return a Response object or `await next()`?',
      );
    }
    return this.c.res;
  }
}
