import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('createKeyedMutex', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const mutex = createKeyedMutex();
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        mutex.run('a', async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          events.push(`start ${n}`);
          await tick();
          events.push(`end ${n}`);
          running--;
        }),
      ),
    );
    expect(maxRunning).toBe(1);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'start 4', 'end 4']);
    expect(mutex.size).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const mutex = createKeyedMutex();
    let running = 0;
    let maxRunning = 0;
    const work = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick();
      running--;
    };
    await Promise.all([mutex.run('a', work), mutex.run('b', work)]);
    expect(maxRunning).toBe(2);
  });

  it('passes results and errors through and keeps going after a failure', async () => {
    const mutex = createKeyedMutex();
    const failing = mutex.run('a', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('a', async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
    expect(mutex.size).toBe(0);
  });
});
