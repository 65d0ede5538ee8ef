import type { ErrorHandler } from 'hono';
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { composeLayers, type Layer } from './compose-layers';

/**
 * Hono's default router (RegExpRouter, else TrieRouter) with the match of every fixed route path
 * (no `:param`, no `*`) remembered per method, so the session check and `/api/config` are one map
 * lookup instead of a tree walk.
 *
 * Why: RegExpRouter refuses a fixed segment beside a parameter at the same place
 * (`/api/principals/search` and `/api/principals/:source/…`, `/api/groups/local/:id` and
 * `/api/groups/:source/…`), so Hono falls back to TrieRouter, which walks its tree and builds the
 * handler list on every request (about 1 µs each). RegExpRouter itself answers fixed paths from a
 * map of shared results; this does the same in front of either. Only paths of registered routes are
 * remembered (a request path is never a key), and HTTP methods are a short list, so the memory is
 * bounded by the route table.
 *
 * Given the app's `onError`, it also hands Hono each such match's layers (middleware and handler)
 * as one handler made by `composeLayers`, when none of them has route parameters: Hono then runs it
 * as a lone handler, and a route whose layers all answer synchronously (the session check on a
 * cached session) is answered without a promise. `c.req.routePath` and `matchedRoutes` then name
 * the route's last layer only.
 */
export class FixedPathRouter<T> implements Router<T> {
  readonly name = 'FixedPathRouter';
  readonly #router: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });
  /** Fixed route path → method → the router's result, filled on first use. */
  readonly #fixed = new Map<string, Map<string, Result<T>>>();
  readonly #onError: ErrorHandler | undefined;

  constructor(options: { onError?: ErrorHandler } = {}) {
    this.#onError = options.onError;
  }

  add(method: string, path: string, handler: T): void {
    this.#router.add(method, path, handler);
    if (!path.includes(':') && !path.includes('*') && !path.includes('?')) {
      if (!this.#fixed.has(path)) this.#fixed.set(path, new Map());
    }
  }

  match(method: string, path: string): Result<T> {
    const byMethod = this.#fixed.get(path);
    if (!byMethod) return this.#router.match(method, path);
    let result = byMethod.get(method);
    if (!result) {
      result = this.#composed(this.#router.match(method, path));
      byMethod.set(method, result);
    }
    return result;
  }

  /** The match with its layers as one handler (see above), or as it is. */
  #composed(result: Result<T>): Result<T> {
    const [entries, stash] = result;
    const onError = this.#onError;
    if (!onError || entries.length < 2) return result;
    // A layer's parameters are read through its own entry (`c.req.routeIndex`): keep those apart.
    const params = (entry: unknown) => (stash ? stash.length > 1 : Object.keys(entry as object).length > 0);
    if (entries.some(([, entryParams]) => params(entryParams))) return result;
    // Hono stores each route as [handler, route]: the composed one stands in the last layer's place.
    const routes = entries.map(([route]) => route as unknown as [Layer, unknown]);
    const last = routes.at(-1)!;
    const handler = [
      composeLayers(
        routes.map(([layer]) => layer),
        onError,
      ),
      last[1],
    ] as unknown as T;
    return stash
      ? [[[handler, entries.at(-1)![1] as Record<string, number>]], stash]
      : [[[handler, entries.at(-1)![1] as Record<string, string>]]];
  }
}
