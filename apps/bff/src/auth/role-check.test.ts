import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { GraphClient } from '../graph/graph-client';
import type { IdTokenClaims } from './oidc';
import type { RequiredGroup } from './required-groups';
import { createRoleCheck, type RoleCheckResult } from './role-check';

const MARKETING = '0b1c2d3e-0000-4000-8000-00000000a001';
const SALES = '0b1c2d3e-0000-4000-8000-00000000a002';

/** The role check with groups named by display name, already resolved (required-groups.ts). */
function check(required: string[], groups: RequiredGroup[]) {
  const roles = createRoleCheck({
    config: {
      OPENID_REQUIRED_ROLE: required,
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      OPENID_CLIENT_ID: 'client',
      OPENID_AUDIENCE: [],
      requiredGroupNames: groups.filter((g) => g.configured !== g.id).map((g) => g.configured),
    },
    // Overage is not part of these cases: a Graph call would fail the test.
    graph: {} as GraphClient,
    requiredGroups: { resolve: async () => groups },
    log: pino({ level: 'silent' }),
  });
  return (claims: Record<string, unknown>): Promise<RoleCheckResult> =>
    roles({
      claims: { sub: 's', ...claims } as unknown as IdTokenClaims,
      accessToken: undefined,
      userInfo: async () => ({}),
      graphToken: async () => 'unused',
    });
}

const named: RequiredGroup[] = [
  { configured: 'Marketing', id: MARKETING, name: 'Marketing' },
  { configured: SALES.toUpperCase(), id: SALES, name: 'Sales' },
];

describe('the role check with required groups named by display name', () => {
  it.each([
    ['the id of a named group', { groups: [MARKETING] }, ['Marketing']],
    ['an id written in capitals in the configuration', { groups: [SALES] }, [SALES.toUpperCase()]],
    ['both groups', { groups: [SALES, MARKETING, 'x'] }, ['Marketing', SALES.toUpperCase()]],
    // An app whose groups claim emits cloud display names instead of ids.
    ['the display name itself in the claim', { groups: ['Marketing'] }, ['Marketing']],
    ['the id and the name of one group (reported once)', { groups: ['Marketing', MARKETING] }, ['Marketing']],
  ])('admits %s', async (_name, claims, roles) => {
    expect(await check(['Marketing', SALES.toUpperCase()], named)(claims)).toEqual({ allowed: true, roles });
  });

  it('refuses anyone else and names every required group by display name', async () => {
    const result = await check(['Marketing', SALES.toUpperCase()], named)({ groups: ['marketing', 'Sales'] });
    expect(result).toEqual({
      allowed: false,
      requiredRoles: ['Marketing', SALES.toUpperCase()],
      requiredGroups: ['Marketing', 'Sales'],
    });
  });

  it('without names to resolve, compares as written and names no groups', async () => {
    const plain = check([MARKETING], []);
    expect(await plain({ groups: [MARKETING] })).toEqual({ allowed: true, roles: [MARKETING] });
    expect(await plain({ groups: [] })).toEqual({ allowed: false, requiredRoles: [MARKETING] });
  });
});
