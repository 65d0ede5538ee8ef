import {
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { REQUEST_ID_HEADER } from './request-id';
import type { HeaderList } from './security-headers';

/**
 * The BFF's Node response (pass `{ ServerResponse: EdgeResponse }` to `http.createServer`): the request
 * edge hands it the headers every response carries (request id, security headers), and they go out
 * in the one `writeHead` call, beside the route's own, instead of through `setHeader` before the
 * route. Node checks each header either way; `setHeader` also lower-cases and interns every name and
 * `writeHead` then merges two header sets (9k instructions a request, docs/performance.md).
 *
 * The rule is `setMissingHeaders`': a header the route set, in `writeHead` or through `setHeader`,
 * wins over the edge's (names compared case-insensitively). Node's implicit head (`end()` or `write()`
 * without `writeHead`) goes through `writeHead` too.
 */
export class EdgeResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  #id: string | undefined;
  #defaults: HeaderList | undefined;

  /** The headers this response carries unless the route set its own: the request id, then `defaults`. */
  setEdgeHeaders(id: string, defaults: HeaderList): void {
    this.#id = id;
    this.#defaults = defaults;
  }

  override writeHead(
    statusCode: number,
    reason?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    const defaults = this.#defaults;
    const id = this.#id;
    if (defaults === undefined || id === undefined)
      return super.writeHead(statusCode, reason as string, headers);
    const message = typeof reason === 'string' ? reason : undefined;
    const own = typeof reason === 'string' ? headers : reason;
    if (own !== undefined && (Array.isArray(own) || typeof own !== 'object')) {
      // Another shape (a list): the edge's go in through setHeader, which the list then overrides.
      if (!this.hasHeader(REQUEST_ID_HEADER)) this.setHeader(REQUEST_ID_HEADER, id);
      for (const [name, value] of defaults) if (!this.hasHeader(name)) this.setHeader(name, value);
      return this.#written(
        message === undefined ? super.writeHead(statusCode, own) : super.writeHead(statusCode, message, own),
      );
    }
    const flat: (string | number | readonly string[])[] = [];
    let ownsId = false;
    const owned = new Array<boolean>(defaults.length).fill(false);
    if (own) {
      for (const name in own) {
        if (!Object.hasOwn(own, name)) continue; // as Node reads a header object
        flat.push(name, own[name] as string | number | readonly string[]);
        if (sameName(name, REQUEST_ID_HEADER)) ownsId = true;
        for (let i = 0; i < defaults.length; i++) if (sameName(name, defaults[i]![0])) owned[i] = true;
      }
    }
    if (!ownsId && !this.hasHeader(REQUEST_ID_HEADER)) flat.push(REQUEST_ID_HEADER, id);
    for (let i = 0; i < defaults.length; i++) {
      const [name, value] = defaults[i]!;
      if (!owned[i] && !this.hasHeader(name)) flat.push(name, value);
    }
    const list = flat as unknown as OutgoingHttpHeader[];
    return this.#written(
      message === undefined ? super.writeHead(statusCode, list) : super.writeHead(statusCode, message, list),
    );
  }

  /**
   * Forgets the edge's headers once a head is out. Only then: when writeHead throws (a header value
   * Node refuses), the error answer that follows must still carry them.
   */
  #written(self: this): this {
    this.#defaults = undefined;
    this.#id = undefined;
    return self;
  }
}

/** Header names equal ignoring ASCII case, without allocating lower-case copies. */
function sameName(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && (x | 0x20) !== (y | 0x20)) return false;
    // Only letters fold: '@' (0x40) and '`' (0x60) differ by 0x20 too.
    if (x !== y && !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7a)) return false;
  }
  return true;
}

/** `http.createServer` options that make every response an `EdgeResponse` (typed as Node's own class). */
export const edgeServerOptions = { ServerResponse: EdgeResponse as unknown as typeof ServerResponse };
