import { describe, expect, it } from 'vitest';
import { createSessionReadCache } from './session-read-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('createSessionReadCache', () => {
  it('does not keep a read that was in flight while a write started', async () => {
    const cache = createSessionReadCache<string>({ now: () => 0 });
    const slow = deferred<string>();
    const reading = cache.read('s1', () => slow.promise);
    await cache.writing('s1', async () => undefined);
    slow.resolve('before the write');
    expect(await reading).toBe('before the write'); // that caller gets what it read…
    expect(await cache.read('s1', async () => 'after the write')).toBe('after the write'); // …nobody else
  });

  it('answers a hit at once, without a promise or a load, until the TTL ends', async () => {
    let at = 0;
    const cache = createSessionReadCache<string>({ now: () => at, ttlMs: 1000 });
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.read('s1', load)).toBe('v1');
    at = 999;
    expect(cache.read('s1', load)).toBe('v1');
    at = 1000;
    expect(await cache.read('s1', load)).toBe('v2');
    expect(loads).toBe(2);
  });

  it('does not keep a read made while the session is bypassed, nor one from before', async () => {
    const cache = createSessionReadCache<string>({ now: () => 0 });
    await cache.read('s1', async () => 'old');
    const inside = await cache.bypassing('s1', async () => cache.read('s1', async () => 'fresh'));
    expect(inside).toBe('fresh');
    expect(await cache.read('s1', async () => 'next')).toBe('next');
  });

  it('bypasses until the last nested holder leaves', async () => {
    const cache = createSessionReadCache<string>({ now: () => 0 });
    const outerDone = deferred<void>();
    const outer = cache.bypassing('s1', () => outerDone.promise);
    await cache.bypassing('s1', async () => undefined);
    let loads = 0;
    await cache.read('s1', async () => `v${++loads}`);
    await cache.read('s1', async () => `v${++loads}`);
    expect(loads).toBe(2);
    outerDone.resolve();
    await outer;
    await cache.read('s1', async () => `v${++loads}`);
    await cache.read('s1', async () => `v${++loads}`);
    expect(loads).toBe(3);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const cache = createSessionReadCache<string>({ maxEntries: 2, now: () => 0 });
    for (const id of ['a', 'b', 'c']) await cache.read(id, async () => id);
    let reloaded = false;
    await cache.read('a', async () => {
      reloaded = true;
      return 'a';
    });
    expect(reloaded).toBe(true);
    expect(await cache.read('c', async () => 'not cached')).toBe('c');
  });

  it('lets expired entries go as new ones come in', async () => {
    let now = 0;
    const cache = createSessionReadCache<string>({ ttlMs: 1000, now: () => now });
    for (const id of ['a', 'b', 'c']) await cache.read(id, async () => id);
    expect(cache.size).toBe(3);
    now = 1000;
    await cache.read('d', async () => 'd');
    expect(cache.size).toBe(1);
  });

  it('refuses a negative TTL or a non-positive size', () => {
    expect(() => createSessionReadCache({ ttlMs: -1 })).toThrow(/ttlMs/);
    expect(() => createSessionReadCache({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
