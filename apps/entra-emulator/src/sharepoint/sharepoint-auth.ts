import type { EmulatorContext } from '../context';
import type { DriveCaller } from '../drives/drive-routes';
import { type SignatureFailure, verifyTenantSignature } from '../identity/verify-signature';

export type SharePointTokenCheck =
  | { ok: true; caller: DriveCaller; expiresAt: number }
  | { ok: false; reason: string };

/** SharePoint's words for a token whose signature or lifetime is refused. */
const SHAREPOINT_SIGNATURE_ERRORS: Record<SignatureFailure, string> = {
  not_jwt: 'The access token is not a JWT.',
  unknown_key: 'The access token is not signed by a key of this tenant.',
  expired: 'Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException: the token has expired.',
  invalid: 'The access token signature is not valid.',
};

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
  const checked = await verifyTenantSignature(ctx, token);
  if (!checked.ok) return { ok: false, reason: SHAREPOINT_SIGNATURE_ERRORS[checked.failure] };
  const { claims } = checked;
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
