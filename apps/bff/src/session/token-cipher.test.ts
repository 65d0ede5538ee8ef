import { describe, expect, it } from 'vitest';
import { createTokenCipher, TokenCipherError } from './token-cipher';

const secret = 'a-long-random-session-secret-for-tests-0123456789';
const tokens = JSON.stringify({ idToken: 'eyJ.id.token', refreshToken: '0.AAA-refresh' });

function errorOf(fn: () => unknown): TokenCipherError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenCipherError) return error;
    throw error;
  }
  throw new Error('expected a TokenCipherError');
}

describe('createTokenCipher', () => {
  it('round-trips and never contains the plaintext', () => {
    const cipher = createTokenCipher({ secret });
    const sealed = cipher.encrypt(tokens, 'session-1');
    expect(sealed).not.toContain('refresh');
    expect(sealed.startsWith(`v1.${cipher.currentKeyId}.`)).toBe(true);
    expect(cipher.decrypt(sealed, 'session-1')).toBe(tokens);
  });

  it('uses a fresh IV each time', () => {
    const cipher = createTokenCipher({ secret });
    expect(cipher.encrypt(tokens, 's')).not.toBe(cipher.encrypt(tokens, 's'));
  });

  it('refuses a ciphertext moved to another session (AAD)', () => {
    const cipher = createTokenCipher({ secret });
    const sealed = cipher.encrypt(tokens, 'session-1');
    expect(errorOf(() => cipher.decrypt(sealed, 'session-2')).code).toBe('tampered');
  });

  it.each([
    ['a flipped data byte', (s: string) => flip(s, 3)],
    ['a flipped IV byte', (s: string) => flip(s, 2)],
    ['a truncated tag', (s: string) => s.slice(0, -4)],
  ])('detects %s', (_name, mutate) => {
    const cipher = createTokenCipher({ secret });
    expect(errorOf(() => cipher.decrypt(mutate(cipher.encrypt(tokens, 's')), 's')).code).toBe('tampered');
  });

  it.each([
    ['empty', ''],
    ['plaintext', tokens],
    ['another version', 'v2.abc.def.ghi'],
    ['too few parts', 'v1.abc.def'],
    ['a short IV', 'v1.KID.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('rejects a malformed value: %s', (_name, value) => {
    const cipher = createTokenCipher({ secret });
    const code = errorOf(() => cipher.decrypt(value.replace('KID', cipher.currentKeyId), 's')).code;
    expect(code).toBe('malformed');
  });

  it('decrypts with a previous secret after rotation, and encrypts with the new one', () => {
    const before = createTokenCipher({ secret: 'old-secret-old-secret-old-secret' });
    const old = before.encrypt(tokens, 's');
    const after = createTokenCipher({ secret, previousSecrets: ['old-secret-old-secret-old-secret'] });
    expect(after.decrypt(old, 's')).toBe(tokens);
    const fresh = after.encrypt(tokens, 's');
    expect(fresh.split('.')[1]).toBe(after.currentKeyId);
    expect(after.currentKeyId).not.toBe(before.currentKeyId);
    expect(errorOf(() => before.decrypt(fresh, 's')).code).toBe('unknown_key');
  });

  it('tells without decrypting whether a value is under a configured key', () => {
    const old = createTokenCipher({ secret: 'old-secret-old-secret-old-secret' }).encrypt(tokens, 's');
    const cipher = createTokenCipher({ secret });
    expect(cipher.knowsKeyOf(cipher.encrypt(tokens, 's'))).toBe(true);
    expect(cipher.knowsKeyOf(old)).toBe(false);
    expect(
      createTokenCipher({ secret, previousSecrets: ['old-secret-old-secret-old-secret'] }).knowsKeyOf(old),
    ).toBe(true);
    expect(cipher.knowsKeyOf('plain text')).toBe(false);
    expect(cipher.knowsKeyOf(`v1.${cipher.currentKeyId}`)).toBe(false);
  });

  it('refuses values under a secret that is no longer configured', () => {
    const old = createTokenCipher({ secret: 'old-secret-old-secret-old-secret' }).encrypt(tokens, 's');
    const error = errorOf(() => createTokenCipher({ secret }).decrypt(old, 's'));
    expect(error.code).toBe('unknown_key');
    expect(error.message).toContain('OPENID_SESSION_SECRET_PREVIOUS');
  });

  it('throws a TypeError for a missing secret', () => {
    expect(() => createTokenCipher({ secret: '' })).toThrow(TypeError);
    expect(() => createTokenCipher({ secret, previousSecrets: [''] })).toThrow(
      /OPENID_SESSION_SECRET_PREVIOUS/,
    );
  });
});

/** Flips one bit in the first byte of the dot-separated part at `index`. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}
