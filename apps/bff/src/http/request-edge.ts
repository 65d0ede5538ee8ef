import type { MiddlewareHandler } from 'hono';
import { afterNext, asMiddleware } from './compose-layers';
import { EdgeResponse } from './edge-response';
import { type Logger, logRequest } from './logger';
import { nodeResponse, setMissingHeaders } from './node-response';
import { createRequestIdAssigner, REQUEST_ID_HEADER, type RequestIdOptions } from './request-id';
import { createSecurityHeaderSets, type SecurityHeadersOptions } from './security-headers';

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
  return asMiddleware(function requestEdge(c, next) {
    const start = performance.now();
    const id = assignId(c);
    const headers = headersFor(c.req.path);
    const outgoing = nodeResponse(c);
    if (outgoing) {
      if (outgoing instanceof EdgeResponse) {
        // They go out with the route's in writeHead, the route's winning (see EdgeResponse).
        outgoing.setEdgeHeaders(id, headers);
      } else {
        // Before the route: see `nodeResponse` (the route's own headers win in writeHead).
        outgoing.setHeader(REQUEST_ID_HEADER, id);
        for (let i = 0; i < headers.length; i++) outgoing.setHeader(headers[i]![0], headers[i]![1]);
      }
      return afterNext(next(), () => logRequest(log, c, start));
    }
    return afterNext(next(), () => {
      setMissingHeaders(c, [[REQUEST_ID_HEADER, id], ...headers]);
      logRequest(log, c, start);
    });
  });
}
