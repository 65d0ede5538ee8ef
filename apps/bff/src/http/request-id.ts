import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { asMiddleware } from './compose-layers';
import { defaultResponseHeaders } from './node-response';
import { readHeader } from './request-header';

/** What `requestId()` puts on `c.var` (the same shape as hono's `RequestIdVariables`). */
export interface RequestIdVariables {
  requestId: string;
}

export interface RequestIdOptions {
  /** Makes ids (default: a random per-process prefix and a counter). */
  generate?: () => string;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
const ACCEPTABLE = /^[\w\-=]{1,255}$/;

/**
 * Ids that tell requests apart in logs: a random prefix per process (instances do not collide)
 * and a counter. They are labels, not secrets, so they need no per-request randomness.
 */
export function createRequestIdGenerator(): () => string {
  const prefix = randomBytes(6).toString('base64url');
  let counter = 0;
  return () => `${prefix}-${(counter++).toString(36)}`;
}

/**
 * Sets `c.var.requestId` and the `X-Request-Id` response header. An id a proxy sent in
 * `X-Request-Id` is kept when it is 1–255 word characters, `-` or `=` (what hono's `requestId()`
 * accepts); anything else gets a fresh id. Reads the header without building a `Headers` copy of
 * the request (see `readHeader`).
 */
export function requestId(options: RequestIdOptions = {}): MiddlewareHandler {
  const assign = createRequestIdAssigner(options);
  return asMiddleware(function requestId(c, next) {
    return defaultResponseHeaders(c, next, [[REQUEST_ID_HEADER, assign(c)]]);
  });
}

/** The id part of `requestId()`: picks the request's id and sets `c.var.requestId`; returns it. */
export function createRequestIdAssigner(options: RequestIdOptions = {}): (c: Context) => string {
  const generate = options.generate ?? createRequestIdGenerator();
  return (c) => {
    const inbound = readHeader(c, 'x-request-id');
    const id = inbound !== undefined && ACCEPTABLE.test(inbound) ? inbound : generate();
    c.set('requestId', id);
    return id;
  };
}
