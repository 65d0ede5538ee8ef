import { describe, expect, it } from 'vitest';
import { ClaimPathError, parseClaimPath, readClaimPath, toStringList } from './claim-path';

const claims = {
  roles: ['Gatehouse.User', 'Reader'],
  realm_access: { roles: ['offline_access', 'gatehouse-user'] },
  resource_access: { 'my-app': { roles: ['editor'] }, 'other.app': { roles: ['x'] } },
  groups: ['g-1', 'g-2'],
  scope: 'openid profile',
  'https://example.com/roles': ['namespaced'],
  nested: { list: [{ name: 'first' }, { name: 'second' }] },
  empty: null,
};

describe('parseClaimPath', () => {
  it.each<[string, (string | number)[]]>([
    ['roles', ['roles']],
    ['realm_access.roles', ['realm_access', 'roles']],
    ['resource_access["my-app"].roles', ['resource_access', 'my-app', 'roles']],
    ["resource_access['my-app'].roles", ['resource_access', 'my-app', 'roles']],
    ['resource_access[my-app].roles', ['resource_access', 'my-app', 'roles']],
    ['resource_access.my-app.roles', ['resource_access', 'my-app', 'roles']],
    ['resource_access["other.app"].roles', ['resource_access', 'other.app', 'roles']],
    ['groups[0]', ['groups', 0]],
    ['nested.list[1].name', ['nested', 'list', 1, 'name']],
    ['a[0][1]', ['a', 0, 1]],
    ['["quoted \\" mark"]', ['quoted " mark']],
  ])('%s', (path, segments) => {
    expect(parseClaimPath(path)).toEqual(segments);
  });

  it.each(['', '  ', 'a..b', '.a', 'a.', 'a[', 'a[]', 'a["x]', 'a]b', 'a[0]b', 'a[0].'])(
    'rejects %j',
    (path) => {
      expect(() => parseClaimPath(path)).toThrow(ClaimPathError);
    },
  );

  it('explains the problem and the fix', () => {
    expect(() => parseClaimPath('a..b')).toThrow(
      /empty name at position 2.*resource_access\["my-app"\]\.roles/,
    );
  });
});

describe('readClaimPath', () => {
  it.each<[string, unknown]>([
    ['roles', ['Gatehouse.User', 'Reader']],
    ['realm_access.roles', ['offline_access', 'gatehouse-user']],
    ['resource_access["my-app"].roles', ['editor']],
    ['resource_access.my-app.roles', ['editor']],
    ['resource_access["other.app"].roles', ['x']],
    ['groups[0]', 'g-1'],
    ['groups[1]', 'g-2'],
    ['groups[2]', undefined],
    ['groups.0', 'g-1'],
    ['nested.list[1].name', 'second'],
    ['https://example.com/roles', ['namespaced']],
    ['scope', 'openid profile'],
    ['missing', undefined],
    ['missing.deeper', undefined],
    ['roles.length', undefined],
    ['scope.length', undefined],
    ['empty.x', undefined],
    ['__proto__', undefined],
    ['constructor', undefined],
    ['roles.constructor', undefined],
    ['nested.__proto__.polluted', undefined],
  ])('%s', (path, expected) => {
    expect(readClaimPath(claims, path)).toEqual(expected);
  });

  it('reads nothing from non-objects', () => {
    expect(readClaimPath(undefined, 'roles')).toBeUndefined();
    expect(readClaimPath('roles', 'roles')).toBeUndefined();
  });
});

describe('toStringList', () => {
  it.each<[unknown, string[]]>([
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [
      ['a', 1, null, '', 'b', { c: 1 }],
      ['a', 'b'],
    ],
    ['a b', ['a', 'b']],
    ['a,b', ['a', 'b']],
    ['a, b  c,,d', ['a', 'b', 'c', 'd']],
    ['  single  ', ['single']],
    ['', []],
    [undefined, []],
    [null, []],
    [42, []],
    [true, []],
    [{ roles: ['a'] }, []],
  ])('%j → %j', (value, expected) => {
    expect(toStringList(value)).toEqual(expected);
  });
});
