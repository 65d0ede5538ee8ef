import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { SessionRecord } from '../session/session-store';
import { tenantIssuerPattern } from './front-channel-logout';
import type { IdTokenClaims } from './id-token-checks';
import { createRefreshRoleCheck } from './refresh-role-check';
import { checkTenant } from './tenant-allow-list';

const CONTOSO = '8c25abde-3c6d-4ca1-8ffc-69c01267db6e';
const FABRIKAM = '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21';
const claims = (extra: Record<string, unknown>): IdTokenClaims => ({
  iss: `https://login.microsoftonline.com/${FABRIKAM}/v2.0`,
  sub: 's',
  aud: 'a',
  exp: 0,
  iat: 0,
  ...extra,
});

describe('checkTenant (OPENID_ALLOWED_TENANTS at the callback and at refresh)', () => {
  it('admits everyone when unset or *', () => {
    expect(checkTenant(undefined, claims({ tid: FABRIKAM }))).toEqual({ allowed: true });
    expect(checkTenant('*', claims({}))).toEqual({ allowed: true });
  });

  it('admits a listed tid, whatever its case', () => {
    expect(checkTenant([CONTOSO, FABRIKAM], claims({ tid: FABRIKAM.toUpperCase() }))).toEqual({
      allowed: true,
    });
  });

  it("refuses another tid, naming it and the username's domain", () => {
    expect(
      checkTenant([CONTOSO], claims({ tid: FABRIKAM, preferred_username: 'Ravi@Fabrikam.onmicrosoft.com' })),
    ).toEqual({ allowed: false, tenant: { tenantId: FABRIKAM, domain: 'fabrikam.onmicrosoft.com' } });
    // No domain to show from a username without one, or with something else after the @.
    expect(checkTenant([CONTOSO], claims({ tid: FABRIKAM, preferred_username: 'ravi' }))).toEqual({
      allowed: false,
      tenant: { tenantId: FABRIKAM },
    });
    expect(
      checkTenant(
        [CONTOSO],
        claims({ tid: FABRIKAM, preferred_username: 'x@<b>call 555</b>', email: 'r@f.example' }),
      ),
    ).toEqual({ allowed: false, tenant: { tenantId: FABRIKAM, domain: 'f.example' } });
  });

  it('refuses a token without tid when a list is set', () => {
    expect(checkTenant([CONTOSO], claims({}))).toEqual({ allowed: false, tenant: { tenantId: '' } });
  });
});

describe('tenantIssuerPattern (front-channel logout on a multi-tenant issuer)', () => {
  const pattern = tenantIssuerPattern('https://login.microsoftonline.com/{tenantid}/v2.0')!;

  it("matches each tenant's issuer and nothing else", () => {
    expect(pattern.test(`https://login.microsoftonline.com/${FABRIKAM}/v2.0`)).toBe(true);
    expect(pattern.test(`https://login.microsoftonline.com/${CONTOSO}/v2.0`)).toBe(true);
    expect(pattern.test('https://login.microsoftonline.com/common/v2.0')).toBe(false);
    expect(pattern.test(`https://login.microsoftonline.com/${FABRIKAM}/v2.0/extra`)).toBe(false);
    expect(pattern.test(`https://loginXmicrosoftonline.com/${FABRIKAM}/v2.0`)).toBe(false);
    expect(pattern.test(`https://evil.example/https://login.microsoftonline.com/${FABRIKAM}/v2.0`)).toBe(
      false,
    );
  });

  it('is nothing for a single-tenant issuer', () => {
    expect(tenantIssuerPattern(`https://login.microsoftonline.com/${CONTOSO}/v2.0`)).toBeUndefined();
  });
});

describe('the refresh re-check', () => {
  const recheckWith = (allowed: readonly string[]) => {
    const roles = vi.fn(async () => ({ allowed: true as const, roles: ['Gatehouse.User'] }));
    const recheck = createRefreshRoleCheck({
      config: {
        OPENID_REQUIRED_ROLE: [],
        OPENID_REQUIRED_ROLE_TOKEN_KIND: undefined,
        OPENID_ALLOWED_TENANTS: allowed,
      },
      oidc: { hasUserInfo: async () => false, userInfo: async () => ({}) },
      roles,
      log: pino({ level: 'silent' }),
    });
    const run = (tid: string) =>
      recheck({
        session: { id: 'session-1', roles: ['Gatehouse.User'] } as SessionRecord,
        tokens: {
          accessToken: 'at',
          expiresAt: undefined,
          refreshToken: undefined,
          idToken: 'id',
          claims: claims({ tid }),
          scope: undefined,
        },
        previousClaims: undefined,
        graphToken: async () => 'graph',
      });
    return { run, roles };
  };

  it('ends the session of an organisation taken off OPENID_ALLOWED_TENANTS', async () => {
    const { run, roles } = recheckWith([CONTOSO]);
    expect(await run(FABRIKAM)).toEqual({ allowed: false, unverifiable: true });
    expect(roles).not.toHaveBeenCalled();
  });

  it('goes on to the role policy for an organisation still on it', async () => {
    const { run, roles } = recheckWith([CONTOSO, FABRIKAM]);
    expect(await run(FABRIKAM)).toEqual({ allowed: true, roles: ['Gatehouse.User'] });
    expect(roles).toHaveBeenCalledOnce();
  });
});
