import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createRequestIdGenerator, requestId } from './request-id';

function app() {
  const hono = new Hono();
  hono.use(requestId());
  hono.get('/', (c) => c.json({ id: c.get('requestId') }));
  return hono;
}

describe('requestId', () => {
  it('gives each request its own id, in c.var and the X-Request-Id header', async () => {
    const a = await app().request('/');
    const b = await app().request('/');
    const idA = a.headers.get('x-request-id');
    expect(idA).toMatch(/^[\w-]+$/);
    expect(await a.json()).toEqual({ id: idA });
    expect(b.headers.get('x-request-id')).not.toBe(idA);
  });

  it("keeps a proxy's id when it is well-formed, replaces one that is not", async () => {
    const kept = await app().request('/', { headers: { 'X-Request-Id': 'edge-42=' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-42=');
    for (const bad of ['has space', 'x'.repeat(256), 'line\\nbreak', '<script>']) {
      const res = await app().request('/', { headers: { 'X-Request-Id': bad } });
      expect(res.headers.get('x-request-id')).not.toBe(bad);
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    }
  });

  it('generates distinct ids per process prefix and per call', () => {
    const one = createRequestIdGenerator();
    const two = createRequestIdGenerator();
    const ids = new Set([one(), one(), one(), two(), two()]);
    expect(ids.size).toBe(5);
    expect(one().split('-')[0]).not.toBe(two().split('-')[0]);
  });
});
