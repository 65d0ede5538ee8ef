import type { Context } from 'hono';

export interface ClientIpOptions {
  /**
   * How many reverse proxies in front of the BFF append to `X-Forwarded-For` and are trusted
   * (default 0: the header is ignored, since any client can send it).
   */
  trustedProxyHops?: number;
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: NodeBindings;
}

/**
 * The client's address: the socket's peer, or with `trustedProxyHops = n` the address the
 * outermost trusted proxy saw, i.e. the n-th entry from the right of `X-Forwarded-For` (entries
 * further left were written by the client and prove nothing). 'unknown' when there is no socket
 * (in-process `app.request()` in tests).
 */
export function clientIp(c: Context, options: ClientIpOptions = {}): string {
  const hops = options.trustedProxyHops ?? 0;
  if (hops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = forwarded[Math.max(0, forwarded.length - hops)];
    if (candidate) return candidate;
  }
  const env = c.env as NodeBindings | undefined;
  const bindings = env?.server ?? env;
  return bindings?.incoming?.socket?.remoteAddress ?? 'unknown';
}
