import { describe, expect, it } from 'vitest';
import { type ClaimOverrides, userFromClaims } from './user-claims';
import type { UpsertUserInput } from './user-repository';

const ISS = 'https://login.example/tid-1/v2.0';
const none: ClaimOverrides = {
  OPENID_NAME_CLAIM: undefined,
  OPENID_EMAIL_CLAIM: undefined,
  OPENID_USERNAME_CLAIM: undefined,
} as ClaimOverrides;

describe('userFromClaims', () => {
  it.each<[string, Record<string, unknown>, Partial<ClaimOverrides>, UpsertUserInput]>([
    [
      'Entra: keyed by tid + oid, not sub',
      {
        sub: 'pairwise-sub',
        tid: 'tid-1',
        oid: 'oid-1',
        name: 'Adele Vance',
        preferred_username: 'adele@contoso.test',
      },
      {},
      {
        issuer: ISS,
        tenantId: 'tid-1',
        subject: 'oid-1',
        name: 'Adele Vance',
        email: 'adele@contoso.test',
        username: 'adele@contoso.test',
      },
    ],
    [
      'generic provider: keyed by sub',
      {
        sub: 'kc-123',
        email: 'k@example.test',
        preferred_username: 'kuser',
        given_name: 'Kay',
        family_name: 'User',
      },
      {},
      { issuer: ISS, subject: 'kc-123', name: 'Kay User', email: 'k@example.test', username: 'kuser' },
    ],
    [
      'tid without oid is not Entra keying',
      { sub: 's', tid: 'tid-1', email: 'e@x.test' },
      {},
      { issuer: ISS, subject: 's', name: 'e@x.test', email: 'e@x.test', username: 'e@x.test' },
    ],
    [
      'email falls back to preferred_username, then upn',
      { sub: 's', upn: 'upn@x.test' },
      {},
      { issuer: ISS, subject: 's', name: 'upn@x.test', email: 'upn@x.test', username: 'upn@x.test' },
    ],
    [
      'overrides win',
      { sub: 's', name: 'Display', email: 'e@x.test', nick: 'nickname', mail: 'm@x.test', full: 'Full Name' },
      { OPENID_USERNAME_CLAIM: 'nick', OPENID_EMAIL_CLAIM: 'mail', OPENID_NAME_CLAIM: 'full' },
      { issuer: ISS, subject: 's', name: 'Full Name', email: 'm@x.test', username: 'nickname' },
    ],
    [
      'an override naming a missing claim falls back to the defaults',
      { sub: 's', name: 'Display', email: 'e@x.test' },
      { OPENID_NAME_CLAIM: 'missing' },
      { issuer: ISS, subject: 's', name: 'Display', email: 'e@x.test', username: 'e@x.test' },
    ],
    [
      'array username claims are joined with _',
      { sub: 's', preferred_username: ['a', 'b'] },
      {},
      { issuer: ISS, subject: 's', name: 'a_b', email: 'a_b', username: 'a_b' },
    ],
    [
      'given name alone',
      { sub: 's', given_name: 'Kay' },
      {},
      { issuer: ISS, subject: 's', name: 'Kay', email: '', username: '' },
    ],
  ])('%s', (_name, claims, overrides, expected) => {
    expect(userFromClaims(ISS, claims, { ...none, ...overrides } as ClaimOverrides)).toEqual(expected);
  });

  it('keys a provider that is not the tenant in `tid` by iss + sub, even when it emits tid and oid', () => {
    const other = 'https://idp.example.org/realms/acme';
    const claims = { sub: 'sub-9', tid: 'tid-1', oid: 'oid-1', preferred_username: 'mallory' };
    expect(userFromClaims(other, claims, none)).toMatchObject({ issuer: other, subject: 'sub-9' });
    expect(userFromClaims(other, claims, none)).not.toHaveProperty('tenantId');
    // Entra's v1 issuer names the tenant too.
    expect(userFromClaims('https://sts.windows.net/tid-1/', claims, none)).toMatchObject({
      tenantId: 'tid-1',
      subject: 'oid-1',
    });
  });

  it('refuses claims that identify nobody', () => {
    expect(() => userFromClaims(ISS, { email: 'e@x.test' }, none)).toThrow(/neither tid\+oid nor sub/);
  });
});
