import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-session-store';
import { createRefreshBackoffs } from './refresh-backoff';

const T0 = 1_700_000_000_000;

async function setup() {
  let now = T0;
  const clock = { now: () => now };
  const store = createMemorySessionStore();
  await store.create({
    id: 'session-a',
    userId: 'u1',
    issuer: 'https://issuer',
    roles: [],
    tokens: { idToken: 'x' },
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 3_600_000,
    absoluteExpiresAt: T0 + 86_400_000,
  });
  const backoffs = createRefreshBackoffs({ store, clock });
  const advance = (ms: number) => {
    now += ms;
  };
  return { store, backoffs, clock, advance };
}

describe('createRefreshBackoffs', () => {
  it('waits 1 s after a failure, doubling with each further one up to 30 s', async () => {
    const { backoffs, clock, advance } = await setup();
    const waits: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const { retryAt } = await backoffs.failed('session-a');
      waits.push(retryAt - clock.now());
      advance(retryAt - clock.now()); // the next attempt, when the wait is over, fails again
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it("honours the provider's Retry-After when longer, up to 5 minutes", async () => {
    const { backoffs } = await setup();
    expect((await backoffs.failed('session-a', 20_000)).retryAt).toBe(T0 + 20_000);
    expect((await backoffs.failed('session-a', 3_600_000)).retryAt).toBe(T0 + 300_000);
  });

  it('is pending until retryAt, shared through the store, and cleared by a success', async () => {
    const { store, backoffs, advance } = await setup();
    await backoffs.failed('session-a');
    expect(backoffs.pending('session-a')).toEqual({ failures: 1, retryAt: T0 + 1000 });
    // Another instance (its own in-process view) sees it through the store.
    const other = createRefreshBackoffs({ store, clock: { now: () => T0 + 500 } });
    expect(other.pending('session-a')).toBeUndefined();
    expect(await other.current('session-a')).toEqual({ failures: 1, retryAt: T0 + 1000 });
    advance(1000);
    expect(backoffs.pending('session-a')).toBeUndefined();
    // The count is kept past retryAt: the next failure waits longer.
    expect((await backoffs.failed('session-a')).failures).toBe(2);
    await backoffs.succeeded('session-a');
    expect(await store.refreshBackoff('session-a')).toBeUndefined();
    expect((await backoffs.failed('session-a')).failures).toBe(1);
  });
});
