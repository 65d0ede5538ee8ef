import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readHeader } from './request-header';

const app = new Hono().get('/', (c) =>
  c.json({ cookie: readHeader(c, 'cookie') ?? null, csrf: readHeader(c, 'x-csrf') ?? null }),
);

describe('readHeader', () => {
  it('reads the headers Node parsed when running on @hono/node-server', async () => {
    const env = { incoming: { headers: { cookie: 'a=1; b=2', 'x-csrf': ['1', '2'] } } };
    const res = await app.request('/', { headers: { cookie: 'ignored=1' } }, env);
    expect(await res.json()).toEqual({ cookie: 'a=1; b=2', csrf: '1, 2' });
  });

  it('falls back to the WHATWG request elsewhere', async () => {
    const res = await app.request('/', { headers: { cookie: 'a=1', 'X-CSRF': '1' } });
    expect(await res.json()).toEqual({ cookie: 'a=1', csrf: '1' });
  });
});
