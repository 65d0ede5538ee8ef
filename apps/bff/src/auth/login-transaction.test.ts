import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLoginTransactions, isRestart, markRestart, type TakeResult } from './login-transaction';

const secret = 'a-test-session-secret-that-is-long-enough';

function setup(options: { ttlMs?: number; maxPending?: number } = {}) {
  let now = 1_700_000_000_000;
  const transactions = createLoginTransactions({ secret, clock: { now: () => now }, ...options });
  const app = new Hono();
  app.get('/save', (c) => {
    const state = c.req.query('state')!;
    transactions.save(c, { state, nonce: `n-${state}`, codeVerifier: `v-${state}`, returnTo: '/back' });
    return c.text('ok');
  });
  let last: TakeResult | undefined;
  app.get('/take', (c) => {
    last = transactions.take(c, c.req.query('state'));
    return c.text('ok');
  });
  const jar = new Map<string, string>();
  async function call(path: string) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await app.request(path, { headers: cookie ? { cookie } : {} });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (/Max-Age=0/.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }
  return {
    jar,
    save: (state: string) => call(`/save?state=${state}`),
    take: async (state?: string) => {
      await call(state === undefined ? '/take' : `/take?state=${state}`);
      return last!;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const stateA = 'AAAAAAAAAAAA-first-state-value';
const stateB = 'BBBBBBBBBBBB-second-state-value';

describe('login transactions', () => {
  it('stores each attempt in its own HttpOnly, Secure, SameSite=Lax, __Host- cookie named after its state', async () => {
    const t = setup();
    const response = await t.save(stateA);
    const header = response.headers.getSetCookie()[0]!;
    expect(header).toMatch(/^__Host-gatehouse-tx-AAAAAAAAAAAA=/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Domain/);
    // The value is encrypted: nothing of the state, nonce or verifier is readable.
    const value = t.jar.get('__Host-gatehouse-tx-AAAAAAAAAAAA')!;
    // (Whole values, not short fragments: random ciphertext may contain "n-" by chance.)
    const plain = [stateA, `n-${stateA}`, `v-${stateA}`, '/back'];
    for (const encoding of ['latin1', 'utf8', 'base64url'] as const) {
      const text = Buffer.from(value, 'base64url').toString(encoding);
      for (const secret of plain) expect(text).not.toContain(secret);
    }
    expect(value).not.toContain(stateA);
  });

  it('gives the transaction back once, and refuses it the second time', async () => {
    const t = setup();
    await t.save(stateA);
    const value = t.jar.get('__Host-gatehouse-tx-AAAAAAAAAAAA')!;
    expect(await t.take(stateA)).toEqual({
      ok: true,
      transaction: expect.objectContaining({
        state: stateA,
        nonce: `n-${stateA}`,
        codeVerifier: `v-${stateA}`,
        returnTo: '/back',
      }),
    });
    expect(t.jar.has('__Host-gatehouse-tx-AAAAAAAAAAAA')).toBe(false);
    // A copy of the cookie presented again (replay) is refused.
    t.jar.set('__Host-gatehouse-tx-AAAAAAAAAAAA', value);
    expect(await t.take(stateA)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('keeps several tabs apart', async () => {
    const t = setup();
    await t.save(stateA);
    await t.save(stateB);
    expect(await t.take(stateB)).toMatchObject({ ok: true, transaction: { state: stateB } });
    expect(await t.take(stateA)).toMatchObject({ ok: true, transaction: { state: stateA } });
  });

  it('refuses a state with the right prefix but another value as a mismatch (forged, never restarted)', async () => {
    const t = setup();
    await t.save(stateA);
    expect(await t.take('AAAAAAAAAAAA-forged')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a missing state, an unknown one, a tampered value and a value moved to another name', async () => {
    const t = setup();
    expect(await t.take()).toEqual({ ok: false, reason: 'missing_state' });
    expect(await t.take(stateA)).toEqual({ ok: false, reason: 'not_found' });
    await t.save(stateA);
    const value = t.jar.get('__Host-gatehouse-tx-AAAAAAAAAAAA')!;
    t.jar.set('__Host-gatehouse-tx-AAAAAAAAAAAA', `${value.slice(0, -4)}AAAA`);
    expect(await t.take(stateA)).toEqual({ ok: false, reason: 'tampered' });
    t.jar.set('__Host-gatehouse-tx-BBBBBBBBBBBB', value);
    expect(await t.take(stateB)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('expires an attempt after its time to live, and still tells where it meant to return', async () => {
    const t = setup({ ttlMs: 60_000 });
    await t.save(stateA);
    t.advance(60_001);
    expect(await t.take(stateA)).toEqual({ ok: false, reason: 'expired', returnTo: '/back' });
  });

  it('marks the state of a restarted sign-in, so a second failure is recognised', () => {
    expect(isRestart(stateA)).toBe(false);
    expect(isRestart(markRestart(stateA))).toBe(true);
    // The cookie name is taken from the state's start, which the mark leaves alone.
    expect(markRestart(stateA).startsWith(stateA)).toBe(true);
  });

  it('keeps at most maxPending attempts, dropping the oldest', async () => {
    const t = setup({ maxPending: 2 });
    await t.save(stateA);
    t.advance(1);
    await t.save(stateB);
    t.advance(1);
    await t.save('CCCCCCCCCCCC-third');
    expect([...t.jar.keys()].sort()).toEqual([
      '__Host-gatehouse-tx-BBBBBBBBBBBB',
      '__Host-gatehouse-tx-CCCCCCCCCCCC',
    ]);
  });

  it('does not open a cookie sealed under another secret', async () => {
    const a = setup();
    await a.save(stateA);
    const other = createLoginTransactions({
      secret: 'another-secret-entirely-0123456789',
      clock: { now: () => 1_700_000_000_000 },
    });
    const app = new Hono();
    let result: TakeResult | undefined;
    app.get('/take', (c) => {
      result = other.take(c, stateA);
      return c.text('ok');
    });
    await app.request('/take', {
      headers: {
        cookie: `__Host-gatehouse-tx-AAAAAAAAAAAA=${a.jar.get('__Host-gatehouse-tx-AAAAAAAAAAAA')}`,
      },
    });
    expect(result).toEqual({ ok: false, reason: 'tampered' });
  });
});
