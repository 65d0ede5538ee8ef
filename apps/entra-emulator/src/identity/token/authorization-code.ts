import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { parseClaimsParameter } from '../authorize/check-claims';
import type { AuthorizationCode } from '../grant-store';
import { errors } from '../oauth-error';
import { foreignGrantTenant, type TenantSegment } from '../tenant-segment';
import { issueTokens, type TokenResponse } from './issue-tokens';
import { requireActiveUser } from './user-checks';

/**
 * `grant_type=authorization_code`: single use, ten minutes, bound to the client, its tenant (AADSTS700005),
 * the redirect URI and PKCE.
 */
export async function authorizationCodeGrant(
  ctx: EmulatorContext,
  app: SeedApplication,
  params: Record<string, string>,
  at: TenantSegment,
): Promise<TokenResponse> {
  if (!params.code) throw errors.missingParameter('code');
  const code = ctx.grants.code(params.code);
  if (!code) throw errors.codeInvalid();
  if (code.clientId !== app.clientId) throw errors.codeWrongClient();
  // Redeemed at the tenant it was acquired for, or at common/organizations.
  if (foreignGrantTenant(ctx.directory, code.userId, at)) throw errors.codeWrongTenant();
  if (code.redeemed) throw errors.codeRedeemed();
  // A code is consumed by the first attempt that gets this far, whether it then succeeds or not.
  code.redeemed = true;
  if (code.expiresAt < ctx.clock()) throw errors.codeExpired();
  if (!params.redirect_uri) throw errors.missingParameter('redirect_uri');
  if (params.redirect_uri !== code.redirectUri)
    throw errors.replyAddressMismatch(params.redirect_uri, code.redirectUri);
  checkPkce(code, params.code_verifier);

  const user = requireActiveUser(ctx, app, code.userId);
  // At code redemption Entra takes the first resource of the scope, whichever scope string is used.
  const parsed = ctx.resources.parse(params.scope?.trim() ? params.scope : code.scope);
  // The ID token's claims follow the authorize request's OIDC scopes.
  for (const s of ctx.resources.parse(code.scope).oidc) parsed.oidc.add(s);
  return issueTokens(ctx, {
    app,
    user,
    grant: code,
    parsed,
    explicitScope: false,
    nonce: code.nonce,
    issueRefreshToken: parsed.oidc.has('offline_access'),
    clientInfo: params.client_info === '1',
    // Named at authorize (as MSAL sends them) or again at the token request.
    clientCapabilities: [
      ...new Set([
        ...(code.clientCapabilities ?? []),
        ...parseClaimsParameter(params.claims).clientCapabilities,
      ]),
    ],
  });
}

function checkPkce(code: AuthorizationCode, verifier: string | undefined): void {
  if (!code.codeChallenge) return;
  if (!verifier) throw errors.pkceMismatch();
  const expected =
    code.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  const a = Buffer.from(expected);
  const b = Buffer.from(code.codeChallenge);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw errors.pkceMismatch();
}
