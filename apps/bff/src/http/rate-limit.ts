import type { Context, MiddlewareHandler } from 'hono';
import { createLru } from '../cache/lru';
import { type Clock, systemClock } from '../clock';
import { type ClientIpOptions, clientIp } from './client-ip';
import { AppError } from './errors';

export interface RateLimitOptions extends ClientIpOptions {
  /** Requests allowed per client per window. */
  limit: number;
  windowMs: number;
  clock?: Clock;
  /** What a "client" is (default: its IP address, see `clientIp`). */
  key?: (c: Context) => string;
  /** Clients tracked at once; beyond it the least recently seen are forgotten first (default 10 000). */
  maxClients?: number;
}

/**
 * A fixed-window limiter per client for the sign-in routes (`/oauth/openid`, the callback): each
 * client gets `limit` requests per `windowMs`, then 429 `rate_limited` with `Retry-After` until its
 * window ends. In memory, per process: enough to stop a loop or a script hammering the provider
 * through us; a fleet-wide quota belongs in the load balancer.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1)
    throw new TypeError('rateLimit: limit must be a positive integer.');
  if (!(windowMs > 0)) throw new TypeError('rateLimit: windowMs must be a positive number of milliseconds.');
  const clock = options.clock ?? systemClock;
  const keyOf = options.key ?? ((c: Context) => clientIp(c, options));
  // A window expires with its entry (ttl = windowMs from its start; counting changes the value in
  // place, so it never extends the TTL); a client hammering us stays the most recently used.
  const windows = createLru<string, { start: number; count: number }>({
    max: options.maxClients ?? 10_000,
    ttlMs: windowMs,
    clock,
  });

  return async function rateLimit(c, next) {
    const at = clock.now();
    const key = keyOf(c);
    let w = windows.get(key);
    if (!w) {
      w = { start: at, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - at) / 1000));
      const message = `Too many sign-in attempts from this address. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
      const headers = { 'Retry-After': String(retryAfter) };
      // These are browser navigations: a person gets a page, a script gets the JSON error.
      if (c.req.header('accept')?.includes('text/html')) {
        return c.html(
          `<!doctype html><html lang="en"><meta charset="utf-8"><title>Too many attempts</title><p>${message}</p></html>`,
          429,
          { ...headers, 'Cache-Control': 'no-store' },
        );
      }
      throw new AppError('rate_limited', message, { headers });
    }
    await next();
  };
}
