import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { TokenSet } from '../auth/oidc';
import { OidcError } from '../auth/oidc-error';
import { createMemorySessionStore } from './memory-session-store';
import type { NewSession } from './session-store';
import { createTokenManager, type RoleRecheck, type TokenManagerDeps, tokenFailure } from './token-manager';

const MINUTE = 60_000;
const graph = { resource: 'https://graph.microsoft.com', scope: ['https://graph.microsoft.com/User.Read'] };
const idToken = (sub: string) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, iss: 'i', aud: 'a', exp: 1, iat: 1 })).toString('base64url')}.sig`;

function setup(
  options: {
    refresh?: (rt: string, scope: readonly string[]) => Promise<TokenSet>;
    roles?: () => RoleRecheck;
  } = {},
) {
  let now = 1_700_000_000_000;
  const clock = { now: () => now };
  const store = createMemorySessionStore();
  const calls: { refreshToken: string; scope: string }[] = [];
  let counter = 0;
  const refresh =
    options.refresh ??
    (async (_refreshToken: string, scope: readonly string[]) => {
      counter += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        accessToken: `at-${counter}`,
        expiresAt: now + 60 * MINUTE,
        refreshToken: `rt-${counter}`,
        idToken: scope.includes('openid') ? idToken('user-1') : undefined,
        claims: scope.includes('openid')
          ? { sub: 'user-1', iss: 'i', aud: 'a', exp: 1, iat: 1, roles: ['Gatehouse.User'] }
          : undefined,
        scope: scope.join(' '),
      };
    });
  const deps: TokenManagerDeps = {
    store,
    clock,
    log: pino({ level: 'silent' }),
    sessionScope: ['openid', 'profile', 'offline_access'],
    graph,
    oidc: {
      refresh: (rt, params) => {
        calls.push({ refreshToken: rt, scope: (params?.scope ?? []).join(' ') });
        return refresh(rt, params?.scope ?? []);
      },
    },
    recheckRoles: async () => options.roles?.() ?? { allowed: true, roles: ['Gatehouse.User'] },
  };
  const manager = createTokenManager(deps);
  const session: NewSession = {
    id: 'session-one-0123456789',
    userId: 'u1',
    issuer: 'https://issuer',
    roles: ['Gatehouse.User'],
    tokens: {
      idToken: idToken('user-1'),
      accessToken: 'at-0',
      accessTokenExpiresAt: now + 2 * MINUTE,
      refreshToken: 'rt-0',
    },
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 15 * MINUTE,
    absoluteExpiresAt: now + 7 * 24 * 60 * MINUTE,
  };
  return {
    store,
    manager,
    calls,
    session,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('token manager', () => {
  it('returns a stored token that has more than five minutes left without calling the provider', async () => {
    const { store, manager, calls, session } = setup();
    const stored = await store.create({
      ...session,
      tokens: { ...session.tokens, accessTokenExpiresAt: session.createdAt + 10 * MINUTE },
    });
    expect(manager.isDue(stored)).toBe(false);
    expect(await manager.sessionToken(stored)).toMatchObject({ kind: 'token', accessToken: 'at-0' });
    expect(calls).toHaveLength(0);
  });

  it('refreshes a token with less than five minutes left and keeps the newest refresh token', async () => {
    const { store, manager, calls, session } = setup();
    const stored = await store.create(session);
    expect(manager.isDue(stored)).toBe(true);
    const result = await manager.sessionToken(stored);
    expect(result).toMatchObject({ kind: 'token', accessToken: 'at-1' });
    expect(calls).toEqual([{ refreshToken: 'rt-0', scope: 'openid profile offline_access' }]);
    const after = await store.get(session.id);
    expect(after?.tokens.refreshToken).toBe('rt-1');
    expect(after?.tokens.accessToken).toBe('at-1');
  });

  it('runs one refresh for 200 concurrent callers of one session', async () => {
    const { store, manager, calls, session } = setup();
    const stored = await store.create(session);
    const results = await Promise.all(Array.from({ length: 200 }, () => manager.sessionToken(stored)));
    expect(calls).toHaveLength(1);
    expect(new Set(results.map((r) => (r.kind === 'token' ? r.accessToken : r.kind)))).toEqual(
      new Set(['at-1']),
    );
  });

  it('lets a second instance find the token the first one refreshed (re-read under the lock)', async () => {
    const first = setup();
    const stored = await first.store.create(first.session);
    const second = createTokenManager({
      store: first.store,
      clock: { now: () => first.session.createdAt },
      log: pino({ level: 'silent' }),
      sessionScope: ['openid'],
      graph,
      oidc: {
        refresh: async () => {
          throw new Error('the second instance must not redeem the refresh token');
        },
      },
      recheckRoles: async () => ({ allowed: true, roles: [] }),
    });
    const [a, b] = await Promise.all([first.manager.sessionToken(stored), second.sessionToken(stored)]);
    expect(a).toMatchObject({ kind: 'token', accessToken: 'at-1' });
    expect(b).toMatchObject({ kind: 'token', accessToken: 'at-1' });
    expect(first.calls).toHaveLength(1);
  });

  it('ends the session on invalid_grant and says the sign-in was revoked', async () => {
    const { store, manager, session } = setup({
      refresh: async () => {
        throw new OidcError('invalid_grant', 'dead', { oauthError: 'invalid_grant', aadsts: [50173] });
      },
    });
    const stored = await store.create(session);
    const result = await manager.sessionToken(stored);
    expect(result).toEqual({ kind: 'reauthenticate', reason: 'revoked' });
    expect(await store.get(session.id)).toBeUndefined();
    const error = tokenFailure(result as Exclude<typeof result, { kind: 'token' }>);
    expect(error.toBody()).toMatchObject({ error: 'login_required', reason: 'revoked' });
  });

  it('keeps the session when the provider is down and answers provider_unavailable', async () => {
    const { store, manager, session, advance } = setup({
      refresh: async () => {
        throw new OidcError('provider_unavailable', 'down', { status: 503 });
      },
    });
    const stored = await store.create(session);
    advance(3 * MINUTE); // the access token has expired
    expect(await manager.sessionToken(stored)).toEqual({
      kind: 'failed',
      code: 'provider_unavailable',
      retryAfterMs: 1000,
    });
    expect(await store.get(session.id)).toBeDefined();
  });

  it('serves a token that is due but unexpired while the provider is down, and asks the provider once per back-off', async () => {
    const { store, manager, session, calls, advance } = setup({
      refresh: async () => {
        throw new OidcError('provider_unavailable', 'down', { status: 503 });
      },
    });
    const stored = await store.create(session); // 2 minutes left: due, still valid
    const results = await Promise.all([1, 2, 3].map(() => manager.sessionToken(stored)));
    for (const result of results) expect(result).toMatchObject({ kind: 'token', accessToken: 'at-0' });
    expect(await manager.sessionToken(stored)).toMatchObject({ kind: 'token', accessToken: 'at-0' });
    expect(calls).toHaveLength(1);
    advance(3 * MINUTE); // expired, back-off over: the provider is asked again, and the outage shows
    expect(await manager.sessionToken(stored)).toMatchObject({
      kind: 'failed',
      code: 'provider_unavailable',
    });
    expect(calls).toHaveLength(2);
  });

  it('ends the session when the role policy no longer allows the user', async () => {
    const { store, manager, session } = setup({
      roles: () => ({ allowed: false, requiredRoles: ['Gatehouse.User'] }),
    });
    const stored = await store.create(session);
    const result = await manager.sessionToken(stored);
    expect(result).toEqual({
      kind: 'reauthenticate',
      reason: 'role_removed',
      requiredRoles: ['Gatehouse.User'],
    });
    expect(await store.get(session.id)).toBeUndefined();
    expect(tokenFailure(result as Exclude<typeof result, { kind: 'token' }>).toBody()).toMatchObject({
      error: 'role_required',
      reason: 'role_removed',
    });
  });

  it('mints resource tokens by scope, caches them until five minutes before expiry', async () => {
    const { store, manager, calls, session, advance } = setup();
    let current = await store.create({
      ...session,
      tokens: { ...session.tokens, accessTokenExpiresAt: session.createdAt + 60 * MINUTE },
    });
    const first = await manager.resourceToken(current, graph);
    expect(first).toMatchObject({ kind: 'token', accessToken: 'at-1' });
    expect(calls).toEqual([{ refreshToken: 'rt-0', scope: 'https://graph.microsoft.com/User.Read' }]);
    current = (await store.get(session.id))!;
    expect(current.tokens.refreshToken).toBe('rt-1');
    advance(50 * MINUTE);
    expect(await manager.resourceToken(current, graph)).toMatchObject({ kind: 'token', accessToken: 'at-1' });
    advance(6 * MINUTE);
    expect(await manager.resourceToken(current, graph)).toMatchObject({ kind: 'token', accessToken: 'at-2' });
    expect(calls).toHaveLength(2);
  });

  it('answers interaction_required with the resource on a consent error, and keeps the session', async () => {
    const { store, manager, session } = setup({
      refresh: async () => {
        throw new OidcError('interaction_required', 'consent', {
          oauthError: 'invalid_grant',
          aadsts: [65001],
        });
      },
    });
    const stored = await store.create(session);
    const result = await manager.resourceToken(stored, graph);
    expect(result).toEqual({
      kind: 'reauthenticate',
      reason: 'interaction_required',
      resource: graph.resource,
    });
    expect(await store.get(session.id)).toBeDefined();
    expect(tokenFailure(result as Exclude<typeof result, { kind: 'token' }>).toBody()).toMatchObject({
      error: 'interaction_required',
      resource: graph.resource,
    });
  });

  it('without a refresh token (token reuse off) never calls the provider', async () => {
    const { store, manager, calls, session, advance } = setup();
    const { refreshToken: _, ...tokens } = session.tokens;
    const stored = await store.create({ ...session, tokens });
    expect(await manager.sessionToken(stored)).toMatchObject({ kind: 'token', accessToken: 'at-0' });
    expect(manager.isDue(stored)).toBe(false);
    // A resource never granted at sign-in needs a sign-in that asks for it.
    expect(await manager.resourceToken(stored, graph)).toMatchObject({ reason: 'no_refresh_token' });
    advance(3 * MINUTE);
    // Once the sign-in's token has expired, every token answer is "sign in again".
    expect(await manager.sessionToken(stored)).toEqual({ kind: 'reauthenticate', reason: 'token_expired' });
    expect(await manager.resourceToken(stored, graph)).toMatchObject({ reason: 'token_expired' });
    expect(tokenFailure({ kind: 'reauthenticate', reason: 'token_expired' }).toBody()).toMatchObject({
      error: 'login_required',
      reason: 'token_expired',
    });
    expect(calls).toHaveLength(0);
  });
});
