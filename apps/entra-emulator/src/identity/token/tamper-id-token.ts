import { decodeJwt } from 'jose';
import type { IdTokenTampering } from '../../control/faults';
import type { KeyStore } from '../keys';

const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_CLIENT = '00000000-0000-4000-8000-0000000000ff';

/**
 * A hostile or broken provider's ID token for the fault API: the claims changed and signed again
 * with the emulator's real key (another issuer, another audience, expired), or the same token with
 * a broken signature, or unsigned (`alg: none`). A relying party must refuse each.
 */
export async function tamperIdToken(
  idToken: string,
  tampering: IdTokenTampering,
  deps: { keys: Pick<KeyStore, 'sign'>; clock: () => number },
): Promise<string> {
  const [header = '', payload = '', signature = ''] = idToken.split('.');
  const claims = decodeJwt(idToken) as Record<string, unknown>;
  const now = Math.floor(deps.clock() / 1000);
  switch (tampering) {
    case 'other_issuer':
      return deps.keys.sign({
        ...claims,
        iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
        tid: OTHER_TENANT,
      });
    case 'other_audience':
      return deps.keys.sign({ ...claims, aud: OTHER_CLIENT });
    case 'expired':
      return deps.keys.sign({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 });
    case 'bad_signature': {
      // Flip the first signature byte: same header and claims, a signature that cannot verify.
      const bytes = Buffer.from(signature, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      return `${header}.${payload}.${bytes.toString('base64url')}`;
    }
    case 'alg_none': {
      const unsigned = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${unsigned}.${payload}.`;
    }
  }
}
