import { describe, expect, it } from 'vitest';
import { evaluateRolePolicy, type RoleClaims, type RolePolicy, type RolePolicyResult } from './role-policy';

const overage = {
  _claim_names: { groups: 'src1' },
  _claim_sources: { src1: { endpoint: 'https://attacker.example/steal-token' } },
};

type Case = [string, RolePolicy, RoleClaims, RolePolicyResult];
const allowed = (...roles: string[]): RolePolicyResult => ({ kind: 'allowed', roles });
const missing = (...roles: string[]): RolePolicyResult => ({
  kind: 'denied',
  missing: roles,
  reason: 'role_missing',
});
const unavailable = (...roles: string[]): RolePolicyResult => ({
  kind: 'denied',
  missing: roles,
  reason: 'claims_unavailable',
});

describe('evaluateRolePolicy', () => {
  it.each<Case>([
    // No requirement
    ['nothing required', { requiredRoles: [] }, { idClaims: {} }, allowed()],
    ['only blank roles required', { requiredRoles: [''] }, { idClaims: {} }, allowed()],

    // Entra app roles in the ID token (the default kind and path)
    [
      'Entra roles array',
      { requiredRoles: ['Gatehouse.User'] },
      { idClaims: { roles: ['Gatehouse.User'] } },
      allowed('Gatehouse.User'),
    ],
    [
      'no roles claim (Entra omits it)',
      { requiredRoles: ['Gatehouse.User'] },
      { idClaims: {} },
      missing('Gatehouse.User'),
    ],
    [
      'empty roles',
      { requiredRoles: ['Gatehouse.User'] },
      { idClaims: { roles: [] } },
      missing('Gatehouse.User'),
    ],
    [
      'another role only',
      { requiredRoles: ['Gatehouse.User'] },
      { idClaims: { roles: ['Other'] } },
      missing('Gatehouse.User'),
    ],
    [
      'case differs',
      { requiredRoles: ['Gatehouse.User'] },
      { idClaims: { roles: ['gatehouse.user'] } },
      missing('Gatehouse.User'),
    ],
    [
      'substring only',
      { requiredRoles: ['Admin'] },
      { idClaims: { roles: ['SuperAdmin', 'Admins'] } },
      missing('Admin'),
    ],
    [
      'required is a substring of a role string',
      { requiredRoles: ['Admin'] },
      { idClaims: { roles: 'SuperAdmin' } },
      missing('Admin'),
    ],

    // Any-of
    [
      'any of several, one matches',
      { requiredRoles: ['Gatehouse.Admin', 'Gatehouse.User'] },
      { idClaims: { roles: ['Gatehouse.User'] } },
      allowed('Gatehouse.User'),
    ],
    [
      'any of several, both match (reported in required order)',
      { requiredRoles: ['B', 'A'] },
      { idClaims: { roles: ['A', 'B', 'C'] } },
      allowed('B', 'A'),
    ],
    [
      'any of several, none matches',
      { requiredRoles: ['A', 'B'] },
      { idClaims: { roles: ['C'] } },
      missing('A', 'B'),
    ],

    // Delimited strings
    ['space-delimited string', { requiredRoles: ['b'] }, { idClaims: { roles: 'a b c' } }, allowed('b')],
    ['comma-delimited string', { requiredRoles: ['b'] }, { idClaims: { roles: 'a,b,c' } }, allowed('b')],
    ['mixed delimiters', { requiredRoles: ['c'] }, { idClaims: { roles: 'a, b  c' } }, allowed('c')],

    // Values that are not lists
    ['a number', { requiredRoles: ['1'] }, { idClaims: { roles: 1 } }, missing('1')],
    ['an object', { requiredRoles: ['a'] }, { idClaims: { roles: { a: true } } }, missing('a')],
    ['true', { requiredRoles: ['true'] }, { idClaims: { roles: true } }, missing('true')],
    ['an array of non-strings', { requiredRoles: ['1'] }, { idClaims: { roles: [1, null] } }, missing('1')],

    // Keycloak-style nested paths in the access token
    [
      'realm_access.roles in the access token',
      { requiredRoles: ['gatehouse-user'], tokenKind: 'access', path: 'realm_access.roles' },
      { idClaims: {}, accessClaims: { realm_access: { roles: ['offline_access', 'gatehouse-user'] } } },
      allowed('gatehouse-user'),
    ],
    [
      'resource_access["my-app"].roles',
      { requiredRoles: ['editor'], tokenKind: 'access', path: 'resource_access["my-app"].roles' },
      { idClaims: {}, accessClaims: { resource_access: { 'my-app': { roles: ['editor'] } } } },
      allowed('editor'),
    ],
    [
      'the access token is not a JWT for this app',
      { requiredRoles: ['editor'], tokenKind: 'access' },
      { idClaims: { roles: ['editor'] } },
      unavailable('editor'),
    ],
    [
      'the role is in the ID token but the policy reads the access token',
      { requiredRoles: ['editor'], tokenKind: 'access' },
      { idClaims: { roles: ['editor'] }, accessClaims: {} },
      missing('editor'),
    ],

    // Userinfo
    [
      'userinfo',
      { requiredRoles: ['staff'], tokenKind: 'userinfo', path: 'groups' },
      { idClaims: {}, userinfo: { groups: ['staff'] } },
      allowed('staff'),
    ],
    [
      'no userinfo',
      { requiredRoles: ['staff'], tokenKind: 'userinfo' },
      { idClaims: {} },
      unavailable('staff'),
    ],

    // Groups, with and without overage
    [
      'groups claim present',
      { requiredRoles: ['5f1c-group-id'], path: 'groups' },
      { idClaims: { groups: ['other', '5f1c-group-id'] } },
      allowed('5f1c-group-id'),
    ],
    [
      'groups overage via _claim_names',
      { requiredRoles: ['g'], path: 'groups' },
      { idClaims: { ...overage } },
      { kind: 'needs_groups' },
    ],
    [
      'groups overage via hasgroups',
      { requiredRoles: ['g'], path: 'groups' },
      { idClaims: { hasgroups: true } },
      { kind: 'needs_groups' },
    ],
    [
      'overage shown in the ID token while reading the access token',
      { requiredRoles: ['g'], tokenKind: 'access', path: 'groups' },
      { idClaims: { ...overage }, accessClaims: {} },
      { kind: 'needs_groups' },
    ],
    [
      'overage, groups resolved through Graph, member',
      { requiredRoles: ['g'], path: 'groups' },
      { idClaims: { ...overage }, resolvedGroups: ['a', 'g'] },
      allowed('g'),
    ],
    [
      'overage, groups resolved through Graph, not a member',
      { requiredRoles: ['g'], path: 'groups' },
      { idClaims: { ...overage }, resolvedGroups: ['a'] },
      missing('g'),
    ],
    [
      'overage markers but the path is roles (no Graph call)',
      { requiredRoles: ['g'], path: 'roles' },
      { idClaims: { ...overage, hasgroups: true } },
      missing('g'),
    ],
    [
      'no overage and no groups claim',
      { requiredRoles: ['g'], path: 'groups' },
      { idClaims: {} },
      missing('g'),
    ],

    // Paths that try to reach prototypes
    ['__proto__ path', { requiredRoles: ['x'], path: '__proto__' }, { idClaims: {} }, missing('x')],
    [
      'constructor.name path',
      { requiredRoles: ['Object'], path: 'constructor.name' },
      { idClaims: {} },
      missing('Object'),
    ],
  ])('%s', (_name, policy, tokens, expected) => {
    expect(evaluateRolePolicy(policy, tokens)).toEqual(expected);
  });

  it('never uses the _claim_sources URL', () => {
    const result = evaluateRolePolicy({ requiredRoles: ['g'], path: 'groups' }, { idClaims: { ...overage } });
    expect(JSON.stringify(result)).not.toContain('attacker');
  });

  it('throws for a malformed path (a configuration error, caught at start-up)', () => {
    expect(() => evaluateRolePolicy({ requiredRoles: ['x'], path: 'a..b' }, { idClaims: {} })).toThrow(
      TypeError,
    );
  });
});
