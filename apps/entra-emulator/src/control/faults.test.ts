import { describe, expect, it } from 'vitest';
import { createFaults } from './faults';

describe('createFaults', () => {
  it.each([
    ['token', '/8c25abde-3c6d-4ca1-8ffc-69c01267db6e/oauth2/v2.0/token', true],
    ['token', '/contoso/oauth2/v2.0/authorize', false],
    ['graph', '/v1.0/users', true],
    ['/v1.0/users*', '/v1.0/users/abc/photo/$value', true],
    ['/v1.0/users', '/v1.0/users/abc', false],
    ['/{tenant}/discovery/v2.0/keys', '/common/discovery/v2.0/keys', true],
    ['/v1.0/me', '/V1.0/ME', true],
  ])('route %s matches %s: %s', (route, path, expected) => {
    const faults = createFaults();
    faults.add({ route, status: 503 });
    expect(faults.take({ path, method: 'GET' }) !== undefined).toBe(expected);
  });

  it('applies to the next count requests only, then disappears', () => {
    const faults = createFaults();
    faults.add({ route: 'graph', status: 429, retryAfter: 2, count: 2 });
    const take = () => faults.take({ path: '/v1.0/me', method: 'GET' });
    expect(take()).toEqual({ status: 429, retryAfter: 2 });
    expect(take()).toEqual({ status: 429, retryAfter: 2 });
    expect(take()).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('narrows by method and grant type', () => {
    const faults = createFaults();
    faults.add({ route: 'token', grantType: 'refresh_token', latencyMs: 10 });
    faults.add({ route: 'graph', method: 'POST', status: 500 });
    expect(
      faults.take({ path: '/t/oauth2/v2.0/token', method: 'POST', grantType: 'authorization_code' }),
    ).toBeUndefined();
    expect(faults.take({ path: '/t/oauth2/v2.0/token', method: 'POST', grantType: 'refresh_token' })).toEqual(
      { latencyMs: 10 },
    );
    expect(faults.take({ path: '/v1.0/me', method: 'GET' })).toBeUndefined();
    expect(faults.take({ path: '/v1.0/$batch', method: 'POST' })).toEqual({ status: 500 });
    expect(faults.list()[0]).toMatchObject({ route: 'token', remaining: null });
  });

  it('tampers with ID tokens and refuses unknown resources on the token endpoint only', () => {
    const faults = createFaults();
    faults.add({ route: 'token', grantType: 'refresh_token', idToken: 'alg_none', count: 1 });
    faults.add({ route: 'token', unknownResource: 'https://contoso.sharepoint.com' });
    const token = { path: '/t/oauth2/v2.0/token', method: 'POST', grantType: 'refresh_token' };
    expect(faults.take({ ...token, scope: 'openid profile' })).toEqual({ idToken: 'alg_none' });
    expect(faults.take({ ...token, scope: 'openid profile' })).toBeUndefined();
    expect(faults.take({ ...token, scope: 'https://contoso.sharepoint.com/AllSites.Read' })).toEqual({
      unknownResource: 'https://contoso.sharepoint.com',
    });
    expect(() => faults.add({ route: 'graph', idToken: 'expired' })).toThrow(/route "token"/);
    expect(() => faults.add({ route: 'token', idToken: 'forged' as 'expired' })).toThrow(/other_issuer/);
  });
});
