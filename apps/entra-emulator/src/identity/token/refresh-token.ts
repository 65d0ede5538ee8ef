import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { parseClaimsParameter } from '../authorize/check-claims';
import { errors } from '../oauth-error';
import { foreignGrantTenant, type TenantSegment } from '../tenant-segment';
import { issueTokens, type TokenResponse } from './issue-tokens';
import { requireActiveUser } from './user-checks';

/**
 * `grant_type=refresh_token`. Like Entra: every use returns a new refresh token and the old one stays
 * valid (unless the revoke-on-reuse switch is on); a token unused for the inactivity window fails with
 * AADSTS700082; revoked sessions fail with AADSTS50173; another tenant's endpoint than the token's fails
 * with AADSTS7000012; `scope` may name another resource.
 * The ID token is minted afresh, so it carries the user's current roles and groups.
 */
export async function refreshTokenGrant(
  ctx: EmulatorContext,
  app: SeedApplication,
  params: Record<string, string>,
  at: TenantSegment,
): Promise<TokenResponse> {
  if (!params.refresh_token) throw errors.missingParameter('refresh_token');
  const token = ctx.grants.refreshToken(params.refresh_token);
  if (!token) throw errors.refreshTokenMalformed();
  if (token.clientId !== app.clientId) throw errors.refreshTokenWrongClient();
  // The emulator has no guests: another tenant never has this user, so it has no grant to refresh.
  if (foreignGrantTenant(ctx.directory, token.userId, at)) throw errors.refreshTokenWrongTenant();
  if (token.revokedAt !== undefined) throw errors.refreshTokenRevoked(token.authTime, token.revokedAt);
  const now = ctx.clock();
  const inactiveSeconds = Math.floor((now - token.issuedAt) / 1000);
  if (token.forcedExpiry || inactiveSeconds > ctx.settings.refreshTokenInactivitySeconds) {
    throw errors.refreshTokenInactive(
      token.issuedAt,
      Math.max(inactiveSeconds, ctx.settings.refreshTokenInactivitySeconds),
    );
  }
  if (token.used && ctx.settings.refreshTokenReuse === 'revoke') {
    ctx.grants.revokeFamily(token.family);
    throw errors.refreshTokenReused();
  }
  const user = requireActiveUser(ctx, app, token.userId);
  // A Conditional Access step-up (the emulator's `demandClaims` fault): a refresh token from a sign-in
  // that did not meet the authentication context is refused with the claims to ask for.
  const demanded = ctx.faults.claimsDemand('token');
  if (demanded !== undefined && !token.acrs?.includes(demanded)) throw errors.mfaRequired(demanded);
  const requested = parseClaimsParameter(params.claims);
  const explicitScope = Boolean(params.scope?.trim());
  const parsed = ctx.resources.parse(explicitScope ? params.scope! : token.scope);
  const response = await issueTokens(ctx, {
    app,
    user,
    grant: token,
    parsed,
    explicitScope,
    family: token.family,
    issueRefreshToken: true,
    clientInfo: params.client_info === '1',
    clientCapabilities: requested.clientCapabilities,
  });
  token.used = true;
  return response;
}
