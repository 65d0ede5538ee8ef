import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context';

/** Why a token's signature or lifetime was refused; each resource words it its own way. */
export type SignatureFailure = 'not_jwt' | 'unknown_key' | 'expired' | 'invalid';

export type SignatureCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; failure: SignatureFailure };

/**
 * The checks every resource of the tenant (Graph, SharePoint) makes first: a JWT signed RS256 with a
 * key this tenant publishes, inside its lifetime on the emulator's clock. Audience and issuer are the
 * resource's own checks.
 */
export async function verifyTenantSignature(
  ctx: Pick<EmulatorContext, 'keys' | 'clock'>,
  token: string,
): Promise<SignatureCheck> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, failure: 'not_jwt' };
  }
  const key = kid ? ctx.keys.find(kid) : undefined;
  if (!key) return { ok: false, failure: 'unknown_key' };
  try {
    const result = await jwtVerify(token, key.publicKey, {
      currentDate: new Date(ctx.clock()),
      algorithms: ['RS256'],
    });
    return { ok: true, claims: result.payload as Record<string, unknown> };
  } catch (error) {
    return { ok: false, failure: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
}
