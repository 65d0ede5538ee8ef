import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
}

export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
}

export interface KeyStore {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /** Keys published in the JWKS: the current one first, then the retired ones still trusted. */
  published(): readonly SigningKey[];
  find(kid: string): SigningKey | undefined;
  /** A new signing key; the old one stays published (`keepOld`) or disappears at once. */
  rotate(options: { keepOld: boolean }): SigningKey;
  sign(claims: Record<string, unknown>): Promise<string>;
}

/**
 * RSA keys generated once per emulator instance. Not deterministic on purpose: every emulator state
 * (sessions, refresh tokens) is in memory, so a restart invalidates sessions anyway, and a fixed private
 * key in the repository would be one more secret-looking file to explain.
 */
export function createKeyStore(): KeyStore {
  let keys: SigningKey[] = [generate()];
  return {
    current: () => keys[0]!,
    published: () => keys,
    find: (kid) => keys.find((k) => k.kid === kid),
    rotate({ keepOld }) {
      const next = generate();
      keys = keepOld ? [next, ...keys] : [next];
      return next;
    },
    sign(claims) {
      const key = keys[0]!;
      return new SignJWT(claims)
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid })
        .sign(key.privateKey);
    },
  };
}

function generate(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // Entra's kid is the base64url SHA-1 thumbprint of the signing certificate (27 characters), and equals x5t.
  const kid = createHash('sha1').update(exported.n).digest('base64url');
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: exported.n, e: exported.e },
  };
}
