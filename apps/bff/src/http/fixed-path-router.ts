import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

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
 */
export class FixedPathRouter<T> implements Router<T> {
  readonly name = 'FixedPathRouter';
  readonly #router: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });
  /** Fixed route path → method → the router's result, filled on first use. */
  readonly #fixed = new Map<string, Map<string, Result<T>>>();

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
      result = this.#router.match(method, path);
      byMethod.set(method, result);
    }
    return result;
  }
}
