import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context';
import type { DriveCaller } from '../drives/drive-routes';

export type SharePointTokenCheck =
  | { ok: true; caller: DriveCaller; expiresAt: number }
  | { ok: false; reason: string };

/**
 * Checks a bearer token as SharePoint does: signed by the tenant's key, unexpired, issued by the v1
 * issuer, for a known user, and with this SharePoint host as its audience (a Graph token is refused with
 * the exception SharePoint names).
 */
export async function checkSharePointToken(
  ctx: EmulatorContext,
  token: string,
): Promise<SharePointTokenCheck> {
  const origin = new URL(ctx.sharepointUrl).origin;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: 'The access token is not a JWT.' };
  }
  const key = kid ? ctx.keys.find(kid) : undefined;
  if (!key) return { ok: false, reason: 'The access token is not signed by a key of this tenant.' };
  let claims: Record<string, unknown>;
  try {
    const result = await jwtVerify(token, key.publicKey, {
      currentDate: new Date(ctx.clock()),
      algorithms: ['RS256'],
    });
    claims = result.payload as Record<string, unknown>;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      return {
        ok: false,
        reason: 'Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException: the token has expired.',
      };
    return { ok: false, reason: 'The access token signature is not valid.' };
  }
  if (
    typeof claims.aud !== 'string' ||
    claims.aud.replace(/\/$/, '').toLowerCase() !== origin.toLowerCase()
  ) {
    return {
      ok: false,
      reason: `Microsoft.IdentityModel.Tokens.AudienceUriValidationFailedException: the token's audience "${String(claims.aud)}" is not ${origin}.`,
    };
  }
  if (claims.iss !== ctx.tokens.v1Issuer())
    return { ok: false, reason: 'The access token has another issuer.' };
  const user = typeof claims.oid === 'string' ? ctx.directory.findUser(claims.oid) : undefined;
  if (!user) return { ok: false, reason: 'The access token names no user of this tenant.' };
  const scp = typeof claims.scp === 'string' ? claims.scp : '';
  return {
    ok: true,
    caller: {
      user,
      scopes: new Set(
        scp
          .split(' ')
          .filter(Boolean)
          .map((s) => s.toLowerCase()),
      ),
    },
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0,
  };
}
