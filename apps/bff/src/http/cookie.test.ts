import { describe, expect, it } from 'vitest';
import { type CookieOptions, readCookie, serializeCookie } from './cookie';

const hostOk: CookieOptions = { secure: true, path: '/', httpOnly: true, sameSite: 'Lax' };

describe('serializeCookie', () => {
  it('writes the attributes in a fixed order', () => {
    expect(serializeCookie('__Host-x', 'abc', { ...hostOk, maxAge: 60 })).toBe(
      '__Host-x=abc; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Lax',
    );
    expect(serializeCookie('plain', 'v')).toBe('plain=v');
  });

  it.each<[string, string, string, CookieOptions, RegExp]>([
    ['__Host- without Secure', '__Host-x', 'v', { path: '/' }, /must be Secure/],
    [
      '__Host- with a Domain',
      '__Host-x',
      'v',
      { ...hostOk, domain: 'example.com' },
      /must not have a Domain/,
    ],
    ['__Host- without Path=/', '__Host-x', 'v', { secure: true, path: '/app' }, /Path=\//],
    ['__Host- with no Path', '__Host-x', 'v', { secure: true }, /Path=\//],
    ['__Secure- without Secure', '__Secure-x', 'v', {}, /must be Secure/],
    ['SameSite=None without Secure', 'x', 'v', { sameSite: 'None' }, /requires Secure/],
    ['a name with a space', 'bad name', 'v', {}, /not a valid token/],
    ['a value with ;', 'x', 'a;b', {}, /encode it first/],
    ['a value with a space', 'x', 'a b', {}, /encode it first/],
    ['a negative Max-Age', 'x', 'v', { maxAge: -1 }, /Max-Age/],
    ['a fractional Max-Age', 'x', 'v', { maxAge: 1.5 }, /Max-Age/],
    ['a Max-Age past 400 days', 'x', 'v', { maxAge: 401 * 86400 }, /Max-Age/],
    ['a Path with ;', 'x', 'v', { path: '/a;Domain=evil' }, /Path/],
    ['a relative Path', 'x', 'v', { path: 'a' }, /Path/],
  ])('refuses %s', (_name, name, value, options, message) => {
    expect(() => serializeCookie(name, value, options)).toThrow(message);
  });
});

describe('readCookie', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['a=1', undefined],
    ['__Host-gatehouse=abc', 'abc'],
    ['a=1; __Host-gatehouse=abc; b=2', 'abc'],
    ['a=1;__Host-gatehouse=abc', 'abc'],
    ['x__Host-gatehouse=evil; __Host-gatehouse=good', 'good'],
    ['__Host-gatehouse=first; __Host-gatehouse=second', 'first'],
    ['__Host-gatehouse=', ''],
    ['__Host-gatehouse', undefined],
  ])('reads %j', (header, expected) => {
    expect(readCookie(header, '__Host-gatehouse')).toBe(expected);
  });
});
