import { describe, expect, it } from 'vitest';
import { GATEHOUSE_CLIENT_ID } from '../src/index';
import {
  BASE,
  createTestEmulator,
  decodeJwtPayload,
  graphGet,
  json,
  signInAndRedeem,
  TENANT_BASE,
  tokenRequest,
} from './helpers';

const control = (
  emulator: ReturnType<typeof createTestEmulator>,
  method: string,
  path: string,
  body?: unknown,
) =>
  emulator.fetch(
    new Request(`${BASE}/_emulator${path}`, {
      method,
      ...(body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : {}),
    }),
  );

describe('counters', () => {
  it('counts token requests per grant type and client, and Graph requests per path', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    await tokenRequest(
      emulator,
      { grant_type: 'refresh_token', refresh_token: 'bogus' },
      { clientId: 'someone-else' },
    );
    await graphGet(emulator, '/me', tokens.access_token!);
    await emulator.fetch(
      new Request(`${BASE}/v1.0/$batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/me' }] }),
      }),
    );
    const counters = emulator.control.counters();
    expect(counters.token).toEqual({
      authorization_code: { [GATEHOUSE_CLIENT_ID]: 1 },
      refresh_token: { [GATEHOUSE_CLIENT_ID]: 2, 'someone-else': 1 },
    });
    expect(counters.graph).toEqual({ '/v1.0/me': 1, '/v1.0/$batch': 1 });
    expect(counters.graphBatched).toEqual({ '/v1.0/me': 1 });

    const overHttp = await json(await control(emulator, 'GET', '/counters'));
    expect(overHttp).toEqual(counters);
    emulator.control.resetCounters();
    expect(emulator.control.counters()).toEqual({
      token: {},
      graph: {},
      graphBatched: {},
      downloads: { requests: 0, bytes: 0, items: {} },
    });
  });
});

describe('faults', () => {
  it('fails the next N token requests of one grant type, with Retry-After', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.fault({
      route: 'token',
      grantType: 'refresh_token',
      status: 429,
      retryAfter: 3,
      count: 2,
    });
    const refresh = () =>
      tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    const first = await refresh();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [50196] });
    expect((await refresh()).status).toBe(429);
    expect((await refresh()).status).toBe(200);
    expect(emulator.control.counters().token.refresh_token![GATEHOUSE_CLIENT_ID]).toBe(3);
  });

  it('takes the token endpoint down (503 temporarily_unavailable) and back up', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.tokenEndpointDown(true);
    const down = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
    emulator.control.tokenEndpointDown(false);
    expect(
      (await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }))
        .status,
    ).toBe(200);
  });

  it('adds latency, and answers 503 on Graph in Graph’s error shape', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.fault({ route: '/v1.0/me', latencyMs: 150, count: 1 });
    const started = performance.now();
    expect((await graphGet(emulator, '/me', tokens.access_token!)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    emulator.control.fault({ route: 'graph', status: 503, retryAfter: 1 });
    const unavailable = await graphGet(emulator, '/users', tokens.access_token!);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(unavailable.body.error.code).toBe('serviceNotAvailable');
    emulator.control.clearFaults();
    expect((await graphGet(emulator, '/me', tokens.access_token!)).status).toBe(200);
  });

  it('fails discovery and keys on demand', async () => {
    const emulator = createTestEmulator();
    emulator.control.fault({ route: 'discovery', status: 500, count: 1 });
    const failed = await emulator.fetch(new Request(`${TENANT_BASE}/v2.0/.well-known/openid-configuration`));
    expect(failed.status).toBe(500);
    const ok = await emulator.fetch(new Request(`${TENANT_BASE}/v2.0/.well-known/openid-configuration`));
    expect(ok.status).toBe(200);
  });

  it('refuses a fault it cannot apply, naming the field', () => {
    const emulator = createTestEmulator();
    expect(() => emulator.control.fault({ route: 'users', status: 429 })).toThrow(/route "users"/);
    expect(() => emulator.control.fault({ route: 'token', status: 200 })).toThrow(
      /status must be an HTTP error status/,
    );
    expect(() => emulator.control.fault({ route: 'token' })).toThrow(
      /needs a status, a latencyMs, a cutAfterBytes, an idToken or an unknownResource/,
    );
  });
});

describe('control API over HTTP', () => {
  it('drives faults, settings, keys, roles, groups and revocation, and resets', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');

    const notJson = await emulator.fetch(
      new Request(`${BASE}/_emulator/faults`, { method: 'POST', body: '{}' }),
    );
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).message).toContain('Content-Type: application/json');

    const created = await control(emulator, 'POST', '/faults', { route: 'token', status: 503, count: 1 });
    expect(created.status).toBe(201);
    expect((await json(await control(emulator, 'GET', '/faults'))).faults).toHaveLength(1);
    expect((await control(emulator, 'DELETE', '/faults')).status).toBe(204);

    await control(emulator, 'POST', '/settings', { accessTokenLifetimeSeconds: 60 });
    await control(emulator, 'DELETE', '/app-roles', { user: 'adele@contoso.test', role: 'Gatehouse.User' });
    await control(emulator, 'DELETE', `/groups/Marketing/members/adele`);
    const refreshed = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refreshed.body.expires_in).toBe(60);
    const claims = decodeJwtPayload(refreshed.body.id_token as string);
    expect(claims).not.toHaveProperty('roles');

    await control(emulator, 'POST', '/app-roles', { user: 'alex', role: 'Gatehouse.User' });
    const alex = await signInAndRedeem(emulator, 'alex@contoso.test');
    expect(decodeJwtPayload(alex.tokens.id_token!).roles).toEqual(['Gatehouse.User']);
    const badRole = await control(emulator, 'POST', '/app-roles', { user: 'alex', role: 'Nope' });
    expect(badRole.status).toBe(400);
    expect((await json(badRole)).message).toContain('has no app role "Nope"');

    const rotated = await json(await control(emulator, 'POST', '/keys/rotate', { keepOld: false }));
    const keys = await json(await emulator.fetch(new Request(`${TENANT_BASE}/discovery/v2.0/keys`)));
    expect(keys.keys.map((k: { kid: string }) => k.kid)).toEqual([rotated.kid]);

    const revoked = await json(
      await control(emulator, 'POST', '/users/adele@contoso.test/revoke-refresh-tokens', {}),
    );
    expect(revoked.revoked).toBeGreaterThan(0);
    const dead = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(dead.body.error_codes).toEqual([50173]);

    await control(emulator, 'POST', '/token-endpoint', { down: true });
    expect(
      (
        await tokenRequest(emulator, {
          grant_type: 'refresh_token',
          refresh_token: alex.tokens.refresh_token!,
        })
      ).status,
    ).toBe(503);

    expect((await control(emulator, 'POST', '/reset', {})).status).toBe(204);
    const after = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: alex.tokens.refresh_token!,
    });
    expect(after.status).toBe(200);
    expect(after.body.expires_in).toBe(3600);
    expect(decodeJwtPayload(after.body.id_token as string)).not.toHaveProperty('roles');
    expect(await json(await control(emulator, 'GET', '/settings'))).toMatchObject({
      tokenEndpointDown: false,
    });
  });

  it('names an unknown user or group', async () => {
    const emulator = createTestEmulator();
    const response = await control(emulator, 'POST', '/users/zed/expire-refresh-tokens', {});
    expect(response.status).toBe(400);
    expect((await json(response)).message).toContain('No user "zed"');
    const group = await control(emulator, 'POST', '/groups/Nope/members', { user: 'adele' });
    expect((await json(group)).message).toContain('No group "Nope"');
  });
});

describe('performance', () => {
  it('answers 200 concurrent refreshes quickly', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.status === 200)).toBe(true);
    // Each refresh signs two RS256 tokens (about a millisecond each); leave room for a loaded CI machine.
    expect(elapsed).toBeLessThan(5000);
  });
});
