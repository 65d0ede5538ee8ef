import type { Context } from 'hono';

/**
 * Sets response headers after the route ran, keeping any the route set itself. A Response whose
 * headers are immutable (one passed through from `fetch`) is re-wrapped first, body untouched.
 */
export function setMissingHeaders(c: Context, headers: Iterable<readonly [string, string]>): void {
  let target = c.res.headers;
  for (const [name, value] of headers) {
    if (target.has(name)) continue;
    try {
      target.set(name, value);
    } catch {
      c.res = new Response(c.res.body, c.res);
      target = c.res.headers;
      target.set(name, value);
    }
  }
}
