/**
 * Whether `value` is a promise or another thenable (what `await` would wait for). Paths that answer
 * synchronously on a cache hit tell the two kinds of answer apart with it: a thenable taken for a
 * value would fail open (a record whose expiry reads as NaN).
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (value !== null &&
      (typeof value === 'object' || typeof value === 'function') &&
      typeof (value as { then?: unknown }).then === 'function')
  );
}
