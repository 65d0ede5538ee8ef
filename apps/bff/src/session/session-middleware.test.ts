import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireActiveSession } from '../auth/active-session';
import { errorHandler } from '../http/error-handler';
import { createMemorySessionStore } from './memory-session-store';
import { newSessionId, SESSION_COOKIE_NAME } from './session-cookie';
import {
  initialSessionTimes,
  type OptionalSessionVariables,
  optionalSession,
  type SessionMiddlewareOptions,
  type SessionVariables,
} from './session-middleware';
import type { SessionStore } from './session-store';

const config = {
  SESSION_EXPIRY: 15 * 60_000,
  REFRESH_TOKEN_EXPIRY: 7 * 86_400_000,
  OPENID_REUSE_TOKENS: false,
};
// With token reuse off the middleware never asks for a token.
const tokens = {
  isDue: () => false,
  sessionToken: () => Promise.reject(new Error('token reuse is off')),
};
const log = { warn() {}, error() {} };
const T0 = Date.UTC(2026, 10, 27, 9);

function setup(options: SessionMiddlewareOptions = {}) {
  const memory = createMemorySessionStore();
  const calls: string[] = [];
  // Records which store methods the middleware uses, to keep the hot path honest.
  const store: SessionStore = new Proxy(memory, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function'
        ? (...args: unknown[]) => {
            calls.push(String(key));
            return value.apply(target, args);
          }
        : value;
    },
  });
  const clock = { time: T0, now: () => clock.time };
  const deps = { store, clock, config, tokens };
  const app = new Hono<{ Variables: SessionVariables }>()
    .onError(errorHandler({ log }))
    .get('/api/me', requireActiveSession(deps, options), (c) =>
      c.json({ id: c.var.session.id, userId: c.var.session.userId }),
    )
    .get('/api/poll', requireActiveSession(deps, { ...options, slide: false }), (c) => c.json({ ok: true }));
  const optional = new Hono<{ Variables: OptionalSessionVariables }>()
    .get('/whoami', optionalSession(deps, options), (c) => c.json({ userId: c.var.session?.userId ?? null }))
    .get('/signin', optionalSession(deps, options), (c) => {
      c.header('Set-Cookie', `${SESSION_COOKIE_NAME}=new; Path=/; Secure; HttpOnly; SameSite=Lax`);
      return c.text('signed in');
    });
  async function signIn(overrides: Partial<ReturnType<typeof initialSessionTimes>> = {}) {
    const id = newSessionId();
    await memory.create({
      id,
      userId: 'user-1',
      issuer: 'https://issuer.example',
      roles: [],
      tokens: { idToken: 'id' },
      ...initialSessionTimes(clock.time, config),
      ...overrides,
    });
    calls.length = 0;
    return { id, cookie: `${SESSION_COOKIE_NAME}=${id}` };
  }
  return { app, optional, memory, clock, calls, signIn };
}

const get = (app: { request: Hono['request'] }, path: string, cookie?: string) =>
  app.request(path, { headers: cookie ? { cookie } : {} });

describe('requireActiveSession, token reuse off', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('passes a live session to the route', async () => {
    const { id, cookie } = await t.signIn();
    const res = await get(t.app, '/api/me', cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, userId: 'user-1' });
  });

  it.each<[string, string | undefined, boolean]>([
    ['no cookie', undefined, false],
    ['another cookie only', 'theme=dark', false],
    ['a malformed session cookie', `${SESSION_COOKIE_NAME}=not-a-session-id`, true],
    ['an unknown session id', `${SESSION_COOKIE_NAME}=${'A'.repeat(43)}`, true],
  ])('answers 401 login_required/no_session for %s', async (_name, cookie, clears) => {
    const res = await get(t.app, '/api/me', cookie);
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      error: 'login_required',
      reason: 'no_session',
      message: 'You are not signed in. Sign in to continue.',
    });
    expect(res.headers.get('set-cookie')).toBe(
      clears ? `${SESSION_COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax` : null,
    );
  });

  it('ends a session idle for SESSION_EXPIRY, deletes it and says why', async () => {
    const { id, cookie } = await t.signIn();
    t.clock.time = T0 + config.SESSION_EXPIRY;
    const res = await get(t.app, '/api/me', cookie);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'login_required',
      reason: 'idle_timeout',
      message: 'Your session ended after 15 minutes without activity. Sign in again.',
    });
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await t.memory.get(id)).toBeUndefined();
  });

  it('judges a session a store answers as a thenable that is no native promise (fails closed)', async () => {
    const { cookie } = await t.signIn();
    const memory = t.memory;
    const thenable: SessionStore = {
      ...memory,
      get: (id) =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the point of the test is a foreign thenable
          then: (resolve: (value: unknown) => unknown, reject: (reason: unknown) => unknown) =>
            Promise.resolve(memory.get(id)).then(resolve, reject),
        }) as unknown as ReturnType<SessionStore['get']>,
    };
    const app = new Hono<{ Variables: SessionVariables }>()
      .onError(errorHandler({ log }))
      .get('/api/me', requireActiveSession({ store: thenable, clock: t.clock, config, tokens }), (c) =>
        c.json({ userId: c.var.session.userId }),
      );
    expect((await get(app, '/api/me', cookie)).status).toBe(200);
    t.clock.time = T0 + config.SESSION_EXPIRY;
    const ended = await get(app, '/api/me', cookie);
    expect(ended.status).toBe(401);
    expect(((await ended.json()) as { reason: string }).reason).toBe('idle_timeout');
  });

  it('ends a session at its absolute expiry even when in use', async () => {
    const { id, cookie } = await t.signIn();
    // Used every 10 minutes for a week: the idle timeout never hits, the absolute one does.
    for (let at = T0; at < T0 + config.REFRESH_TOKEN_EXPIRY; at += 10 * 60_000) {
      t.clock.time = at;
      expect((await get(t.app, '/api/me', cookie)).status).toBe(200);
    }
    t.clock.time = T0 + config.REFRESH_TOKEN_EXPIRY;
    const res = await get(t.app, '/api/me', cookie);
    expect(await res.json()).toMatchObject({
      reason: 'absolute_timeout',
      message: 'Your session reached its maximum length of 7 days. Sign in again.',
    });
    expect(await t.memory.get(id)).toBeUndefined();
  });

  it('applies a shortened timeout to existing sessions', async () => {
    const { cookie } = await t.signIn({ idleExpiresAt: T0 + 86_400_000 });
    t.clock.time = T0 + config.SESSION_EXPIRY + 1;
    expect(await (await get(t.app, '/api/me', cookie)).json()).toMatchObject({ reason: 'idle_timeout' });
  });

  it('only reads the store on the hot path, and slides the idle expiry at most once a minute', async () => {
    const { id, cookie } = await t.signIn();
    t.clock.time = T0 + 59_999;
    await get(t.app, '/api/me', cookie);
    expect(t.calls).toEqual(['get']);
    expect((await t.memory.get(id))?.version).toBe(1);

    t.clock.time = T0 + 60_000;
    t.calls.length = 0;
    await get(t.app, '/api/me', cookie);
    expect(t.calls).toEqual(['get', 'update']);
    const slid = await t.memory.get(id);
    expect(slid).toMatchObject({
      lastSeenAt: T0 + 60_000,
      idleExpiresAt: T0 + 60_000 + config.SESSION_EXPIRY,
    });
  });

  it('never slides the idle expiry past the absolute one', async () => {
    const { id, cookie } = await t.signIn({ absoluteExpiresAt: T0 + 5 * 60_000 });
    t.clock.time = T0 + 2 * 60_000;
    await get(t.app, '/api/me', cookie);
    expect((await t.memory.get(id))?.idleExpiresAt).toBe(T0 + 5 * 60_000);
  });

  it('does not slide on routes that opt out (SPA polling)', async () => {
    const { id, cookie } = await t.signIn();
    t.clock.time = T0 + 10 * 60_000;
    expect((await get(t.app, '/api/poll', cookie)).status).toBe(200);
    expect(t.calls).toEqual(['get']);
    t.clock.time = T0 + config.SESSION_EXPIRY;
    expect((await get(t.app, '/api/poll', cookie)).status).toBe(401);
    expect(await t.memory.get(id)).toBeUndefined();
  });

  it('answers no_session when the session is deleted while it is being slid', async () => {
    const { id, cookie } = await t.signIn();
    const racing = setup();
    await racing.memory.create({ ...(await t.memory.get(id))! });
    const originalUpdate = racing.memory.update;
    racing.memory.update = async (sessionId, patch) => {
      await racing.memory.delete(sessionId);
      return originalUpdate(sessionId, patch);
    };
    racing.clock.time = T0 + 2 * 60_000;
    const res = await get(racing.app, '/api/me', cookie);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ reason: 'no_session' });
  });
});

describe('optionalSession', () => {
  it('passes the session when there is one, and undefined otherwise', async () => {
    const t = setup();
    const { cookie } = await t.signIn();
    expect(await (await get(t.optional, '/whoami', cookie)).json()).toEqual({ userId: 'user-1' });
    const res = await get(t.optional, '/whoami');
    expect(await res.json()).toEqual({ userId: null });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('treats an expired session as none and clears its cookie', async () => {
    const t = setup();
    const { cookie } = await t.signIn();
    t.clock.time = T0 + config.SESSION_EXPIRY;
    const res = await get(t.optional, '/whoami', cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: null });
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('leaves a new session cookie set by the route alone', async () => {
    const t = setup();
    const res = await get(t.optional, '/signin', `${SESSION_COOKIE_NAME}=${'B'.repeat(43)}`);
    expect(res.headers.getSetCookie()).toEqual([
      `${SESSION_COOKIE_NAME}=new; Path=/; Secure; HttpOnly; SameSite=Lax`,
    ]);
  });
});

describe('initialSessionTimes', () => {
  it('starts the idle and absolute clocks at sign-in', () => {
    expect(initialSessionTimes(T0, config)).toEqual({
      createdAt: T0,
      lastSeenAt: T0,
      idleExpiresAt: T0 + config.SESSION_EXPIRY,
      absoluteExpiresAt: T0 + config.REFRESH_TOKEN_EXPIRY,
    });
    expect(initialSessionTimes(T0, { SESSION_EXPIRY: 10, REFRESH_TOKEN_EXPIRY: 5 }).idleExpiresAt).toBe(
      T0 + 5,
    );
  });
});
