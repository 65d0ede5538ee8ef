import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip';
import { errorHandler } from './error-handler';
import { type RateLimitOptions, rateLimit } from './rate-limit';

function setup(options: Partial<RateLimitOptions> = {}) {
  const clock = { time: 1_000_000, now: () => clock.time };
  const app = new Hono();
  app.onError(errorHandler({ log: { warn() {}, error() {} } }));
  const limiter = rateLimit({ limit: 3, windowMs: 60_000, clock, trustedProxyHops: 1, ...options });
  app.get('/oauth/openid', limiter, (c) => c.text('ok'));
  const hit = (ip: string, accept = 'application/json') =>
    app.request('/oauth/openid', { headers: { 'x-forwarded-for': ip, accept } });
  return { clock, hit };
}

describe('rateLimit', () => {
  it('allows `limit` requests per window, then answers 429 with Retry-After until the window ends', async () => {
    const { clock, hit } = setup();
    for (let i = 0; i < 3; i++) expect((await hit('203.0.113.1')).status).toBe(200);
    clock.time += 20_000;
    const refused = await hit('203.0.113.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('40');
    expect(await refused.json()).toEqual({
      error: 'rate_limited',
      message: 'Too many sign-in attempts from this address. Try again in 40 seconds.',
    });
    clock.time += 40_000;
    expect((await hit('203.0.113.1')).status).toBe(200);
  });

  it('counts each client separately', async () => {
    const { hit } = setup({ limit: 1 });
    expect((await hit('203.0.113.1')).status).toBe(200);
    expect((await hit('203.0.113.2')).status).toBe(200);
    expect((await hit('203.0.113.1')).status).toBe(429);
  });

  it('shows a person a page rather than JSON', async () => {
    const { hit } = setup({ limit: 1 });
    await hit('203.0.113.1');
    const res = await hit('203.0.113.1', 'text/html,application/xhtml+xml');
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Try again in 60 seconds');
  });

  it('keeps memory bounded', async () => {
    const { hit } = setup({ limit: 1, maxClients: 5 });
    for (let i = 0; i < 50; i++) await hit(`198.51.100.${i}`);
    // The first client's window was forgotten to make room, so it may try again.
    expect((await hit('198.51.100.0')).status).toBe(200);
  });

  it('refuses nonsense options', () => {
    expect(() => rateLimit({ limit: 0, windowMs: 1 })).toThrow(TypeError);
    expect(() => rateLimit({ limit: 1, windowMs: 0 })).toThrow(TypeError);
  });
});

describe('clientIp', () => {
  const ipOf = async (headers: Record<string, string>, trustedProxyHops: number, remoteAddress?: string) => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientIp(c, { trustedProxyHops })));
    const env = remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined;
    return (await app.request('/', { headers }, env)).text();
  };

  it.each<[string, Record<string, string>, number, string | undefined, string]>([
    [
      'the socket address without trusted proxies',
      { 'x-forwarded-for': '6.6.6.6' },
      0,
      '10.0.0.5',
      '10.0.0.5',
    ],
    [
      'the address our proxy saw',
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
      1,
      '10.0.0.5',
      '203.0.113.9',
    ],
    ['two hops in', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.1.1' }, 2, '10.0.0.5', '203.0.113.9'],
    [
      'the leftmost when the list is short',
      { 'x-forwarded-for': '203.0.113.9' },
      3,
      '10.0.0.5',
      '203.0.113.9',
    ],
    ['the socket when the header is missing', {}, 1, '10.0.0.5', '10.0.0.5'],
    ['unknown without a socket', {}, 0, undefined, 'unknown'],
  ])('takes %s', async (_name, headers, hops, remote, expected) => {
    expect(await ipOf(headers, hops, remote)).toBe(expected);
  });
});
