import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts a session's provider tokens at rest: AES-256-GCM with a key derived by HKDF-SHA256 from
 * `OPENID_SESSION_SECRET`. The additional authenticated data names the session row (and column) so a
 * ciphertext copied to another row does not decrypt. Each ciphertext starts with a key id, so after a
 * secret change the former secrets (`OPENID_SESSION_SECRET_PREVIOUS`) still decrypt old rows while
 * every new write uses the current secret.
 *
 * Format: `v1.<kid>.<iv>.<ciphertext‖tag>` (base64url parts). The version and kid are part of the AAD.
 */
export interface TokenCipher {
  encrypt(plaintext: string, aad: string): string;
  /** Throws `TokenCipherError` when the value is malformed, under an unknown key, or tampered with. */
  decrypt(ciphertext: string, aad: string): string;
  /**
   * Cheap check without decrypting: is `ciphertext` in our format under a configured key? False for
   * values written under a secret that was dropped from the configuration.
   */
  knowsKeyOf(ciphertext: string): boolean;
  /** The key id new ciphertexts carry (derived from the current secret; reveals nothing about it). */
  readonly currentKeyId: string;
}

export interface TokenCipherOptions {
  secret: string;
  /** Former secrets still accepted to decrypt (newest first); never used to encrypt. */
  previousSecrets?: readonly string[];
}

export type TokenCipherErrorCode = 'malformed' | 'unknown_key' | 'tampered';

export class TokenCipherError extends Error {
  readonly code: TokenCipherErrorCode;
  constructor(code: TokenCipherErrorCode, message: string) {
    super(message);
    this.name = 'TokenCipherError';
    this.code = code;
  }
}

const VERSION = 'v1';
const IV_BYTES = 12; // 96-bit IV: the size GCM is specified for.
const TAG_BYTES = 16;
// HKDF salt and info: fixed, application-specific. The info names the purpose, so the same secret
// used elsewhere (for example to sign something) never yields this key.
const HKDF_SALT = 'gatehouse/session-secret/v1';
const KEY_INFO = 'gatehouse session provider tokens: AES-256-GCM key';

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(secret: string): Key {
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, KEY_INFO, 32));
  // The id is a hash of the derived key: stable for a secret, one-way, short.
  const id = createHash('sha256').update('gatehouse key id').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}

export function createTokenCipher(options: TokenCipherOptions): TokenCipher {
  if (typeof options.secret !== 'string' || options.secret.length === 0) {
    throw new TypeError('createTokenCipher: `secret` (OPENID_SESSION_SECRET) must be a non-empty string.');
  }
  const current = deriveKey(options.secret);
  const keys = new Map<string, Buffer>([[current.id, current.key]]);
  for (const previous of options.previousSecrets ?? []) {
    if (typeof previous !== 'string' || previous.length === 0) {
      throw new TypeError(
        'createTokenCipher: every entry of `previousSecrets` (OPENID_SESSION_SECRET_PREVIOUS) must be a non-empty string.',
      );
    }
    const derived = deriveKey(previous);
    if (!keys.has(derived.id)) keys.set(derived.id, derived.key);
  }

  return {
    currentKeyId: current.id,

    knowsKeyOf(ciphertext) {
      if (typeof ciphertext !== 'string' || !ciphertext.startsWith(`${VERSION}.`)) return false;
      const end = ciphertext.indexOf('.', VERSION.length + 1);
      return end > 0 && keys.has(ciphertext.slice(VERSION.length + 1, end));
    },

    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(`${VERSION}.${current.id}.${aad}`, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },

    decrypt(ciphertext, aad) {
      const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
      const [version, kid, ivPart, bodyPart] = parts;
      if (parts.length !== 4 || version !== VERSION || !kid || !ivPart || bodyPart === undefined) {
        throw new TokenCipherError('malformed', 'Encrypted value is not in the v1.<kid>.<iv>.<data> format.');
      }
      const key = keys.get(kid);
      if (!key) {
        throw new TokenCipherError(
          'unknown_key',
          `Encrypted value uses key ${kid}, which matches neither OPENID_SESSION_SECRET nor any OPENID_SESSION_SECRET_PREVIOUS.`,
        );
      }
      const iv = Buffer.from(ivPart, 'base64url');
      const body = Buffer.from(bodyPart, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
        throw new TokenCipherError('malformed', 'Encrypted value has a wrong IV or tag length.');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${VERSION}.${kid}.${aad}`, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new TokenCipherError(
          'tampered',
          'Encrypted value failed authentication: it was altered or belongs to another record.',
        );
      }
    },
  };
}
