import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../clock';
import { type ClientIpOptions, clientIp } from './client-ip';
import { AppError } from './errors';

export interface RateLimitOptions extends ClientIpOptions {
  /** Requests allowed per client per window. */
  limit: number;
  windowMs: number;
  clock?: Clock;
  /** What a "client" is (default: its IP address, see `clientIp`). */
  key?: (c: Context) => string;
  /** Clients tracked at once; beyond it the oldest windows are forgotten first (default 10 000). */
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
  const now = options.clock ? () => options.clock!.now() : Date.now;
  const keyOf = options.key ?? ((c: Context) => clientIp(c, options));
  const maxClients = options.maxClients ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();

  function forgetOld(at: number) {
    for (const [key, w] of windows) {
      if (at - w.start >= windowMs) windows.delete(key);
    }
    // Still full of live windows: drop the oldest (Map keeps insertion order).
    for (const key of windows.keys()) {
      if (windows.size < maxClients) break;
      windows.delete(key);
    }
  }

  return async function rateLimit(c, next) {
    const at = now();
    const key = keyOf(c);
    let w = windows.get(key);
    if (!w || at - w.start >= windowMs) {
      if (w) windows.delete(key);
      else if (windows.size >= maxClients) forgetOld(at);
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
