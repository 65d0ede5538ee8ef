import { describe, expect, it } from 'vitest';
import { createLru } from './lru';

function fakeClock(time: number) {
  const clock = { time, now: () => clock.time };
  return clock;
}

describe('createLru', () => {
  it.each([0, 1_700_000_000_000])('expires an entry when its age reaches ttlMs (clock at %i)', (start) => {
    const clock = fakeClock(start);
    const cache = createLru<string, string>({ max: 10, ttlMs: 1000, clock });
    cache.set('a', 'A');
    clock.time = start + 999;
    expect(cache.get('a')).toBe('A');
    clock.time = start + 1000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('sees a fake clock move at once (no reading reused within a real millisecond)', () => {
    const clock = fakeClock(5);
    const cache = createLru<string, string>({ max: 10, ttlMs: 1, clock });
    cache.set('a', 'A');
    expect(cache.get('a')).toBe('A');
    clock.time = 6;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most max entries, the least recently used going first', () => {
    const cache = createLru<string, number>({ max: 2, clock: fakeClock(0) });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('merges concurrent fetches of a key into one load and keeps its answer for the TTL', async () => {
    const clock = fakeClock(0);
    let loads = 0;
    const cache = createLru<string, { n: number }, string>({
      max: 10,
      ttlMs: 1000,
      clock,
      fetchMethod: async (_key, _stale, { context }) => ({ n: ++loads, context }) as { n: number },
    });
    const answers = await Promise.all([1, 2, 3].map(() => cache.fetch('k', { context: 'token' })));
    expect(answers.map((a) => a?.n)).toEqual([1, 1, 1]);
    clock.time = 1000;
    expect((await cache.fetch('k', { context: 'token' }))?.n).toBe(2);
  });

  it('does not keep a failed load', async () => {
    let calls = 0;
    const cache = createLru<string, string>({
      max: 10,
      ttlMs: 1000,
      clock: fakeClock(0),
      fetchMethod: async () => {
        calls++;
        if (calls === 1) throw new Error('Graph down');
        return 'ok';
      },
    });
    await expect(cache.fetch('k')).rejects.toThrow('Graph down');
    expect(await cache.fetch('k')).toBe('ok');
  });

  it('refuses nonsense sizes and TTLs', () => {
    const clock = fakeClock(0);
    expect(() => createLru({ max: 0, clock })).toThrow(TypeError);
    expect(() => createLru({ max: 1, ttlMs: 0, clock })).toThrow(/ttlMs/);
    expect(() => createLru({ max: 1, ttlMs: 1.5, clock })).toThrow(/ttlMs/);
  });
});
