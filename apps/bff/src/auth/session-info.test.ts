import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { SignedInEnv } from '../app-env';
import { errorHandler } from '../http/error-handler';
import { createLogger } from '../http/logger';
import type { SessionRecord, SessionStore } from '../session/session-store';
import type { User } from '../users/user-repository';
import { createSessionInfoHandler } from './session-info';

const T0 = Date.UTC(2026, 11, 4, 9, 30);

function user(id: string, name: string): User {
  return {
    id,
    issuer: 'https://login.example/tenant/v2.0',
    tenantId: 'tenant',
    subject: `sub-${id}`,
    name,
    email: `${id}@contoso.test`,
    username: `${id}@contoso.test`,
    createdAt: T0,
    updatedAt: T0,
  };
}

function session(id: string, userId: string, patch: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    issuer: 'https://login.example/tenant/v2.0',
    roles: ['Gatehouse.User'],
    tokens: { accessToken: 'a', refreshToken: 'r' } as SessionRecord['tokens'],
    resourceTokens: {},
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 15 * 60_000,
    absoluteExpiresAt: T0 + 7 * 86_400_000,
    version: 1,
    ...patch,
  };
}

/** The handler behind a stand-in session check, with a user table the test can change. */
function setup() {
  const users = new Map<string, User>([
    ['u1', user('u1', 'Adele Vance')],
    ['u2', user('u2', 'Alex Wilber')],
  ]);
  const store = { delete: vi.fn(async () => {}) } as unknown as SessionStore;
  const app = new Hono<SignedInEnv>();
  app.onError(errorHandler({ log: createLogger({ level: 'silent' }) }));
  let current: SessionRecord;
  const clock = { now: T0 };
  app.use(async (c, next) => {
    c.set('session', structuredClone(current)); // a fresh record per request, as the store gives
    await next();
  });
  app.get(
    '/api/auth/session',
    createSessionInfoHandler({
      store,
      users: { byId: async (id) => users.get(id), forget: () => {} },
      clock: { now: () => clock.now },
    }),
  );
  const ask = async (as: SessionRecord) => {
    current = as;
    const response = await app.request('/api/auth/session');
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.json(),
    };
  };
  return { users, store, ask, clock };
}

/** What the handler must answer, built from scratch. */
function expected(s: SessionRecord, u: User) {
  return {
    user: {
      id: u.id,
      name: u.name,
      email: u.email,
      username: u.username,
      tenantId: u.tenantId,
      roles: s.roles,
    },
    expiresAt: new Date(s.idleExpiresAt).toISOString(),
    absoluteExpiresAt: new Date(s.absoluteExpiresAt).toISOString(),
  };
}

describe('GET /api/auth/session', () => {
  it('answers the same JSON again while nothing in it changed, without building it again', async () => {
    const { users, ask } = setup();
    const s = session('s1', 'u1');
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const first = await ask(s);
      expect(first).toEqual({ status: 200, type: 'application/json', body: expected(s, users.get('u1')!) });
      const built = stringify.mock.calls.length;
      expect(await ask(s)).toEqual(first);
      expect(stringify.mock.calls.length).toBe(built);
    } finally {
      stringify.mockRestore();
    }
  });

  it('forgets the body of a session whose idle expiry has passed (signed out, or gone idle)', async () => {
    const { users, ask, clock } = setup();
    const ended = session('s1', 'u1');
    await ask(ended);
    clock.now = ended.idleExpiresAt + 1; // then another session's body is built
    await ask(session('s2', 'u2'));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      // Were its body still kept, this would answer it without a JSON.stringify.
      expect((await ask(ended)).body).toEqual(expected(ended, users.get('u1')!));
      expect(stringify).toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('answers anew when the idle expiry slid, the roles changed or the profile was reloaded', async () => {
    const { users, ask } = setup();
    const s = session('s1', 'u1');
    await ask(s);
    const slid = { ...s, idleExpiresAt: s.idleExpiresAt + 60_000 };
    expect((await ask(slid)).body).toEqual(expected(slid, users.get('u1')!));
    const promoted = { ...slid, roles: ['Gatehouse.User', 'Gatehouse.Admin'] };
    expect((await ask(promoted)).body).toEqual(expected(promoted, users.get('u1')!));
    const demoted = { ...promoted, roles: ['Gatehouse.Admin'] };
    expect((await ask(demoted)).body).toEqual(expected(demoted, users.get('u1')!));
    users.set('u1', user('u1', 'Adele Vance-Renamed')); // the user cache hands out a new object
    expect((await ask(demoted)).body).toEqual(expected(demoted, users.get('u1')!));
    const shortened = { ...demoted, absoluteExpiresAt: demoted.absoluteExpiresAt - 86_400_000 };
    expect((await ask(shortened)).body).toEqual(expected(shortened, users.get('u1')!));
  });

  it('keeps each session its own answer', async () => {
    const { users, ask } = setup();
    const a = session('s1', 'u1');
    const b = session('s2', 'u2', { roles: ['Gatehouse.Admin'] });
    expect((await ask(a)).body).toEqual(expected(a, users.get('u1')!));
    expect((await ask(b)).body).toEqual(expected(b, users.get('u2')!));
    expect((await ask(a)).body).toEqual(expected(a, users.get('u1')!));
  });

  it('ends the session, with no body from before, when its user is gone', async () => {
    const { users, store, ask } = setup();
    const s = session('s1', 'u1');
    await ask(s);
    users.delete('u1');
    const gone = await ask(s);
    expect(gone.status).toBe(401);
    expect(gone.body).toMatchObject({ error: 'login_required', reason: 'no_session' });
    expect(store.delete).toHaveBeenCalledWith('s1');
  });
});
