/**
 * Serialises async work per key inside this process: `run(key, fn)` starts `fn` once every earlier
 * `run` with the same key has settled. Keys with nothing queued hold no memory.
 */
export interface KeyedMutex {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** How many keys currently have work running or queued (for tests and metrics). */
  readonly size: number;
}

export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>();
  return {
    get size() {
      return tails.size;
    },
    async run(key, fn) {
      const previous = tails.get(key);
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The chain only ever resolves, so one caller's failure never poisons the next.
      const tail = previous ? previous.then(() => done) : done;
      tails.set(key, tail);
      try {
        if (previous) await previous;
        return await fn();
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
