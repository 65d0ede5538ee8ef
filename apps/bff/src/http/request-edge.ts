import type { MiddlewareHandler } from 'hono';
import { type Logger, logRequest } from './logger';
import { nodeResponse, setMissingHeaders } from './node-response';
import { createRequestIdAssigner, REQUEST_ID_HEADER, type RequestIdOptions } from './request-id';
import { createSecurityHeaderSets, type HeaderList, type SecurityHeadersOptions } from './security-headers';

export interface RequestEdgeOptions extends SecurityHeadersOptions {
  log: Logger;
  requestId?: RequestIdOptions;
}

/**
 * `requestId()`, `requestLogger()` and `securityHeaders()` as one middleware, mounted first: the
 * same headers, variable and log line, for one layer of hono's middleware chain instead of three
 * (each layer is an async step on every request, the signed-in hot path included).
 */
export function requestEdge(options: RequestEdgeOptions): MiddlewareHandler {
  const { log } = options;
  const assignId = createRequestIdAssigner(options.requestId);
  const headersFor = createSecurityHeaderSets(options);
  // The same sets with lower-case names, for the Node response. `setHeader` lower-cases every name
  // to key it, and a name that changed is a new string V8 then interns: about a third of what the
  // headers cost on each request (docs/performance.md). Header names are case-insensitive (RFC 9110
  // §5.1), and HTTP/2 sends them in lower case anyway.
  const lowerCased = new Map<HeaderList, HeaderList>();
  const forNode = (headers: HeaderList) => {
    let lower = lowerCased.get(headers);
    if (!lower) {
      lower = Object.freeze(headers.map(([name, value]) => [name.toLowerCase(), value] as const));
      lowerCased.set(headers, lower);
    }
    return lower;
  };
  const requestIdHeader = REQUEST_ID_HEADER.toLowerCase();
  return function requestEdge(c, next) {
    const start = performance.now();
    const id = assignId(c);
    const headers = headersFor(c.req.path);
    const outgoing = nodeResponse(c);
    if (outgoing) {
      // Before the route: see `nodeResponse` (the route's own headers win in writeHead).
      outgoing.setHeader(requestIdHeader, id);
      const lower = forNode(headers);
      for (let i = 0; i < lower.length; i++) outgoing.setHeader(lower[i]![0], lower[i]![1]);
      return next().then(() => logRequest(log, c, start));
    }
    return next().then(() => {
      setMissingHeaders(c, [[REQUEST_ID_HEADER, id], ...headers]);
      logRequest(log, c, start);
    });
  };
}
