import type { Config } from '@gatehouse/config';
import type { IdTokenClaims } from './id-token-checks';

/** Who a refused organisation is, as the access-denied page shows it. */
export interface RefusedTenant {
  /** The ID token's `tid`, lower case (empty when the token has none). */
  tenantId: string;
  /** The domain of the username (`preferred_username`, `upn` or `email`), when it has one. */
  domain?: string;
}

export type TenantDecision = { allowed: true } | { allowed: false; tenant: RefusedTenant };

const domainShape =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$/i;

/**
 * OPENID_ALLOWED_TENANTS at the callback, on a validated ID token: unset or `*` admits everyone
 * (configuration refuses unset with a multi-tenant issuer); a list admits only ID tokens whose `tid`
 * is on it. A token without `tid` is refused: the list is a promise about every session.
 */
export function checkTenant(
  allowed: Config['OPENID_ALLOWED_TENANTS'],
  claims: IdTokenClaims,
): TenantDecision {
  if (allowed === undefined || allowed === '*') return { allowed: true };
  const tenantId = typeof claims.tid === 'string' ? claims.tid.trim().toLowerCase() : '';
  if (tenantId !== '' && allowed.includes(tenantId)) return { allowed: true };
  const domain = usernameDomain(claims);
  return { allowed: false, tenant: { tenantId, ...(domain ? { domain } : {}) } };
}

/** `ravi@fabrikam.onmicrosoft.com` → `fabrikam.onmicrosoft.com`; nothing for a name without a domain. */
function usernameDomain(claims: Record<string, unknown>): string | undefined {
  for (const name of ['preferred_username', 'upn', 'email']) {
    const value = claims[name];
    if (typeof value !== 'string') continue;
    const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
    if (value.includes('@') && domainShape.test(domain)) return domain;
  }
  return undefined;
}
