import { OidcError } from './oidc-error';
import { oidcMessages } from './oidc-error-translation';

/** Validated ID-token claims (signature, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `tid` checked). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  [claim: string]: unknown;
}

/** What an ID token from this provider must also satisfy, beyond openid-client's own checks. */
export interface IdTokenChecks {
  /** Required `tid` (lower case), or undefined for none. */
  expectedTenantId: string | undefined;
  /** Accepted clock difference, seconds. */
  clockToleranceSeconds: number;
}

/** The oldest `iat` accepted on a token the provider has just issued. */
const ID_TOKEN_MAX_AGE_SECONDS = 3600;

/** Throws `OidcError` when the claims break one of `checks`. */
export function checkIdTokenClaims(claims: IdTokenClaims, checks: IdTokenChecks): void {
  checkTenant(claims, checks.expectedTenantId);
  checkIssuedAt(claims, checks.clockToleranceSeconds);
}

function checkTenant(claims: IdTokenClaims, expectedTenantId: string | undefined) {
  if (!expectedTenantId) return;
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined;
  if (tid !== expectedTenantId) {
    throw new OidcError('invalid_token', 'The ID token comes from another tenant than the one configured.', {
      description: `expected tid ${expectedTenantId}, got ${String(claims.tid)}`,
    });
  }
}

/**
 * `iat` of a token the provider has just minted (code redemption, refresh) must be recent:
 * openid-client only requires it to be present. Not older than an hour (oauth4webapi's bound
 * for ID tokens in the front channel) nor in the future, each give or take the clock tolerance.
 * Real time, like openid-client's own `exp`/`nbf` checks.
 */
function checkIssuedAt(claims: IdTokenClaims, tolerance: number) {
  const now = Math.floor(Date.now() / 1000);
  if (claims.iat < now - ID_TOKEN_MAX_AGE_SECONDS - tolerance || claims.iat > now + tolerance) {
    throw new OidcError('clock_skew', oidcMessages.clock_skew, {
      description: `ID token "iat" ${claims.iat} is not within ${ID_TOKEN_MAX_AGE_SECONDS} s before now (${now}) ± ${tolerance} s`,
    });
  }
}
