import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
}

/**
 * A request header by its lower-case name. On @hono/node-server the headers Node already parsed are
 * read directly: touching `c.req.header()` makes node-server build a WHATWG `Headers` copy of every
 * request header, the single largest cost of a small signed-in API call. Elsewhere (tests with
 * `app.request()`, other runtimes) it is `c.req.header()`. Repeated headers are joined as `Headers`
 * does (`, `; `; ` for cookie, as Node joins them).
 */
export function readHeader(c: Context, lowerCaseName: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (incoming) {
    const value = incoming[lowerCaseName];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return c.req.header(lowerCaseName);
}
