import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each([
    '/',
    '/conversations',
    '/conversations/42?tab=files#top',
    '/search?q=a%20b&next=%2Fother',
    '/files/r%C3%A9sum%C3%A9.pdf',
    '/.well-known-ish/page',
    '/#/hash-route',
    '/?returnTo=//evil.example',
    '/oauthish',
    '/apis',
  ])('keeps the same-origin path %j', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['null', null],
    ['a number', 42],
    ['an array', ['/a']],
    ['empty', ''],
    ['a relative path', 'conversations'],
    ['a dot path', './x'],
    ['an absolute URL', 'https://evil.example/'],
    ['an absolute URL of our own origin (relative only)', 'http://localhost:3080/x'],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with a path', '//evil.example/path'],
    ['triple slash', '///evil.example'],
    ['slash-backslash', '/\\evil.example'],
    ['backslash-slash', '\\/evil.example'],
    ['double backslash', '\\\\evil.example'],
    ['a backslash later on', '/a\\b'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['http: without slashes', 'http:evil.example'],
    ['a leading space', ' /x'],
    ['a tab after the slash', '/\t/evil.example'],
    ['a newline after the slash', '/\n/evil.example'],
    ['a carriage return', '/\r/evil.example'],
    ['a NUL byte', '/x\u0000'],
    ['a space inside', '/a b'],
    ['a line separator', '/x\u2028'],
    ['encoded slash after the slash', '/%2Fevil.example'],
    ['encoded slash, lower case', '/%2fevil.example'],
    ['encoded double slash', '%2F%2Fevil.example'],
    ['encoded backslash', '/%5Cevil.example'],
    ['double-encoded slash', '/%252Fevil.example'],
    ['triple-encoded backslash', '/%25255Cevil.example'],
    ['encoded tab', '/%09/evil.example'],
    ['encoded newline', '/%0A/evil.example'],
    ['encoded NUL', '/x%00'],
    ['malformed escape', '/%E0%A4%A'],
    ['a lone percent', '/100%'],
    ['the login route', '/oauth/openid'],
    ['the callback', '/oauth/openid/callback?code=x'],
    ['an API route', '/api/auth/logout'],
    ['an API route in other case', '/API/auth/session'],
    ['an encoded API route', '/%61pi/x'],
    ['too long', `/${'a'.repeat(2048)}`],
    ['a dot segment before a double slash', '/.//evil.example'],
    ['a parent segment before a double slash', '/..//evil.example'],
    ['dot segments that resolve to a double slash', '/a/../..//evil.example'],
    ['encoded dot segments', '/%2e%2e//evil.example'],
    ['dot segments into the API', '/x/../api/auth/logout'],
  ])('refuses %s', (_name, value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('answers the resolved path, the form that was checked', () => {
    expect(safeReturnTo('/a/b/../c?x=1#y')).toBe('/a/c?x=1#y');
    expect(safeReturnTo('/a/./b')).toBe('/a/b');
  });

  it('uses the given fallback', () => {
    expect(safeReturnTo('//evil.example', '/home')).toBe('/home');
  });
});

describe('safeReturnTo on queries and hashes', () => {
  it.each([
    ['/x?next=%2F%2Fevil.example', '/x?next=%2F%2Fevil.example'],
    ['/x#%5C', '/x#%5C'],
    ['/x?q=%0A', '/x?q=%0A'],
    ['/x?q=a\nb', '/'],
    ['/x#a\\b', '/'],
    ['/%2F%2Fevil.example?x=1', '/'],
  ])('%j → %j', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });
});
