import type { ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { Context } from 'hono';
import { afterNext } from './compose-layers';

interface NodeBindings {
  outgoing?: ServerResponse;
}

/**
 * The Node response behind this request when the app runs on @hono/node-server, else undefined
 * (`app.request()` in tests, other runtimes).
 *
 * Why it matters: node-server writes a `c.json()`/`c.text()` answer straight from its plain header
 * object, but the moment a middleware touches `c.res.headers` or calls `c.header()` it builds a
 * WHATWG `Headers` and converts it back for Node. Headers every response carries (request id,
 * security headers) are therefore set on the Node response before the route runs: Node merges them
 * into `writeHead`, and the headers the route passes there win, as `setMissingHeaders` promises.
 * (The request edge hands them to an `EdgeResponse` instead, which adds them in `writeHead`.)
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent ? outgoing : undefined;
}

/**
 * Sets `headers` on every response of the request without overriding any the route set itself:
 * on the Node response up front (see `nodeResponse`), elsewhere after the route ran.
 */
export function defaultResponseHeaders(
  c: Context,
  next: () => Promise<void>,
  headers: readonly (readonly [string, string])[],
): Promise<void> | undefined {
  const outgoing = nodeResponse(c);
  if (outgoing) {
    for (let i = 0; i < headers.length; i++) outgoing.setHeader(headers[i]![0], headers[i]![1]);
    return next();
  }
  return afterNext(next(), () => setMissingHeaders(c, headers));
}

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

/** Captured at import, before @hono/node-server swaps in its lighter Response (see `streamToClient`). */
const NativeResponse = globalThis.Response;
/** @hono/node-server's marker: the route wrote the Node response itself. */
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * Sends `body` (a Node stream) as the response. On @hono/node-server it is piped straight into the
 * Node response, with its backpressure, no WHATWG stream in between; when the client goes away the
 * pipe destroys `body` (which aborts its upstream request). Elsewhere (tests) as a web stream.
 */
export function streamToClient(
  c: Context,
  status: number,
  headers: Record<string, string>,
  body: Readable,
  onError?: (err: Error) => void,
): Response {
  const outgoing = nodeResponse(c);
  if (!outgoing) {
    return new NativeResponse(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status, headers });
  }
  outgoing.writeHead(status, headers);
  pipeline(body, outgoing, (err) => {
    if (err) onError?.(err);
  });
  // The status stays visible to the request log; node-server sends nothing more for this Response
  // (the native class, not node-server's cached one, which would write the head a second time).
  return new NativeResponse(null, { status, headers: { [ALREADY_SENT]: 'true' } });
}
