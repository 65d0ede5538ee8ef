import { describe, expect, it } from 'vitest';
import { createTokenFreshness } from './token-freshness';

const NOW = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('createTokenFreshness', () => {
  const { isFresh } = createTokenFreshness({ now: () => NOW });
  it.each([
    ['a 60-minute token with 6 minutes left', -54 * MINUTE, 6 * MINUTE, true],
    ['a 60-minute token with 4 minutes left', -56 * MINUTE, 4 * MINUTE, false],
    ['a 60-second token with 31 seconds left', -29 * SECOND, 31 * SECOND, true],
    ['a 60-second token with 29 seconds left', -31 * SECOND, 29 * SECOND, false],
    ['a 10-minute token with 5 minutes and a second left', -299 * SECOND, 301 * SECOND, true],
    ['an expired token', -2 * MINUTE, -1, false],
    ['a token without an issue time and 6 minutes left', undefined, 6 * MINUTE, true],
    ['a token without an issue time and 4 minutes left', undefined, 4 * MINUTE, false],
    ['a token whose issue time is after its expiry', 10 * MINUTE, 4 * MINUTE, false],
  ])('%s → fresh: %s', (_name, issuedOffset, expiresOffset, fresh) => {
    const issuedAt = issuedOffset === undefined ? undefined : NOW + issuedOffset;
    expect(isFresh({ expiresAt: NOW + expiresOffset, issuedAt })).toBe(fresh);
  });

  it('treats a token without expiry as due', () => {
    expect(isFresh({ expiresAt: undefined, issuedAt: NOW })).toBe(false);
  });

  it('refuses nonsense options (a programmer mistake)', () => {
    expect(() => createTokenFreshness({ now: () => NOW }, { refreshFraction: 1 })).toThrow(TypeError);
    expect(() => createTokenFreshness({ now: () => NOW }, { refreshBeforeMs: -1 })).toThrow(TypeError);
  });
});
