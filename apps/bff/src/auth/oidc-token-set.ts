import type { TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client';
import type { Clock } from '../clock';
import { checkIdTokenClaims, type IdTokenChecks, type IdTokenClaims } from './id-token-checks';
import type { IdTokenSignatureVerifier } from './id-token-signature';

export interface TokenSet {
  accessToken: string;
  /** Epoch ms, from `expires_in` (access tokens are opaque to us, as Microsoft asks). */
  expiresAt: number | undefined;
  /** Epoch ms when the response arrived: with `expiresAt`, the token's lifetime. */
  issuedAt?: number;
  refreshToken: string | undefined;
  idToken: string | undefined;
  claims: IdTokenClaims | undefined;
  scope: string | undefined;
}

/**
 * A token endpoint response as the BFF's `TokenSet`: an ID token, when there is one, has its
 * signature verified (also from the token endpoint) and its claims checked before anything uses it.
 */
export async function toTokenSet(
  response: TokenEndpointResponse & TokenEndpointResponseHelpers,
  deps: { verifier: IdTokenSignatureVerifier; clock: Clock; checks: IdTokenChecks },
): Promise<TokenSet> {
  let claims: IdTokenClaims | undefined;
  if (response.id_token) {
    await deps.verifier.verify(response.id_token);
    claims = response.claims() as IdTokenClaims;
    checkIdTokenClaims(claims, deps.checks);
  }
  const now = deps.clock.now();
  return {
    accessToken: response.access_token,
    expiresAt: response.expires_in === undefined ? undefined : now + response.expires_in * 1000,
    issuedAt: now,
    refreshToken: response.refresh_token,
    idToken: response.id_token,
    claims,
    scope: response.scope,
  };
}
