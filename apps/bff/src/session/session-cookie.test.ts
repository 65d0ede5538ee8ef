import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  isSessionId,
  newSessionId,
  readSessionCookie,
  SESSION_COOKIE_NAME,
  sessionCookie,
  sessionCookieId,
  sessionCookieValue,
} from './session-cookie';

describe('session cookie', () => {
  it('makes 256-bit random base64url ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    }
  });

  it('sets __Host-gatehouse with HttpOnly, Secure, Path=/, SameSite=Lax, no Domain, lifetime capped by the absolute expiry', () => {
    const id = newSessionId();
    const header = sessionCookie(id, { now: 1_000_000, absoluteExpiresAt: 1_000_000 + 7 * 86_400_000 + 999 });
    expect(header).toBe(
      `${SESSION_COOKIE_NAME}=${id}; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(header).not.toMatch(/Domain/i);
  });

  it('never sets a negative lifetime', () => {
    expect(sessionCookie(newSessionId(), { now: 10_000, absoluteExpiresAt: 5_000 })).toContain('Max-Age=0;');
  });

  it('refuses an id that did not come from newSessionId', () => {
    expect(() => sessionCookie('short', { now: 0, absoluteExpiresAt: 1 })).toThrow(TypeError);
  });

  it('clears the cookie with the same attributes', () => {
    expect(clearedSessionCookie()).toBe(
      `${SESSION_COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
  });

  it.each<[string, string | undefined, boolean]>([
    ['a valid id', `${SESSION_COOKIE_NAME}=${'a'.repeat(43)}`, true],
    ['no cookie', undefined, false],
    ['a short id', `${SESSION_COOKIE_NAME}=abc`, false],
    ['a long id', `${SESSION_COOKIE_NAME}=${'a'.repeat(44)}`, false],
    ['an id with SQL in it', `${SESSION_COOKIE_NAME}=${"' OR 1=1 --".padEnd(43, 'a')}`, false],
    ['the cookie without the prefix', `gatehouse=${'a'.repeat(43)}`, false],
  ])('reads %s', (_name, header, found) => {
    expect(readSessionCookie(header) !== undefined).toBe(found);
    expect(isSessionId(readSessionCookie(header))).toBe(found);
  });

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
    [`__Host-gatehouse=${'a'.repeat(43)}`, 'a'.repeat(43)],
    [` __Host-gatehouse = ${'b'.repeat(43)} ;a=1`, 'b'.repeat(43)],
    [`a=__Host-gatehouse=${'c'.repeat(43)}; __Host-gatehouse=${'d'.repeat(43)}`, 'd'.repeat(43)],
    [`__Host-gatehousex=${'e'.repeat(43)}; __Host-gatehouse=${'f'.repeat(43)}`, 'f'.repeat(43)],
    [`__Host-gatehouse=${'g'.repeat(43)}; __Host-gatehouse=${'h'.repeat(43)}`, 'g'.repeat(43)],
    [`__Host-gatehouse="${'i'.repeat(43)}"`, 'i'.repeat(43)],
    [`__Host-gatehouse=bad"value; __Host-gatehouse=${'j'.repeat(43)}`, 'j'.repeat(43)],
  ])('finds the cookie in %j', (header, expected) => {
    expect(sessionCookieValue(header)).toBe(expected);
    // The session check's reading of the same header: the id, null for a cookie that is no id
    // (a stale cookie to clear), undefined for none.
    const id = sessionCookieId(header);
    if (expected === undefined) expect(id).toBeUndefined();
    else expect(id).toBe(isSessionId(expected) ? expected : null);
  });
});
