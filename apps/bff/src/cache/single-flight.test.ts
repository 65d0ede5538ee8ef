import { describe, expect, it } from 'vitest';
import { createSingleFlight } from './single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('gives concurrent callers of one key the same run, and other keys their own', async () => {
    const flights = createSingleFlight<string, string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const a = flights.run('s1', work);
    const b = flights.run('s1', work);
    const other = flights.run('s2', async () => 'own');
    expect(runs).toBe(1);
    expect(flights.size).toBe(2);
    gate.resolve('shared');
    expect(await Promise.all([a, b, other])).toEqual(['shared', 'shared', 'own']);
  });

  it('keeps nothing once a run settles: the next caller runs again, after a failure too', async () => {
    const flights = createSingleFlight<string, number>();
    const failing = deferred<number>();
    const first = flights.run('k', () => failing.promise);
    const joined = flights.run('k', async () => 99);
    failing.reject(new Error('down'));
    await expect(first).rejects.toThrow('down');
    await expect(joined).rejects.toThrow('down');
    expect(flights.size).toBe(0);
    expect(await flights.run('k', async () => 2)).toBe(2);
    expect(await flights.run('k', async () => 3)).toBe(3);
  });
});
