import type { Directory } from '../directory/directory';
import type { SeedApplication, SeedTenant } from '../seed/types';
import { errors } from './oauth-error';

/** Tenant segments that name no one tenant: any organisation's users (and, for `common`, personal accounts). */
export const TENANT_INDEPENDENT = ['common', 'organizations'];

/** The personal-account (Microsoft account) endpoint: Entra knows it, the emulator has no such accounts. */
export const CONSUMERS = 'consumers';

/** The `{tenant}` of an identity URL (`/{tenant}/oauth2/v2.0/…`), resolved as Entra does. */
export type TenantSegment =
  | { kind: 'tenant'; segment: string; tenant: SeedTenant }
  | { kind: 'independent'; segment: string }
  | { kind: 'consumers'; segment: string };

/**
 * A tenant id, a verified domain of one (`contoso.onmicrosoft.com`), `common`, `organizations` or
 * `consumers`; anything else is AADSTS90002, as Entra answers for a tenant it does not have.
 */
export function resolveTenantSegment(directory: Directory, segment: string): TenantSegment {
  const lower = segment.toLowerCase();
  if (TENANT_INDEPENDENT.includes(lower)) return { kind: 'independent', segment: lower };
  if (lower === CONSUMERS) return { kind: 'consumers', segment: lower };
  const tenant = directory.findTenant(segment);
  if (!tenant) throw errors.tenantNotFound(segment);
  return { kind: 'tenant', segment, tenant };
}

/**
 * The app registration `clientId` names, as the URL's tenant sees it. Registrations live in the home
 * tenant: a single-tenant app (`AzureADMyOrg`) does not exist in another tenant (AADSTS700016) and may
 * not use `/common` or `/organizations` (AADSTS50194); a multi-tenant app is found through every
 * tenant. No seed app accepts personal accounts, so `/consumers` refuses them all (AADSTS70002).
 */
export function appAt(directory: Directory, clientId: string, at: TenantSegment): SeedApplication {
  if (at.kind === 'consumers') throw errors.notEnabledForConsumers();
  const app = directory.findApp(clientId);
  const where = at.kind === 'tenant' ? at.tenant.id : at.segment;
  if (!app) throw errors.appNotFound(clientId, where);
  if (app.signInAudience === 'AzureADMyOrg') {
    if (at.kind === 'independent') throw errors.singleTenantOnCommon(clientId);
    if (at.tenant.id !== directory.tenant.id) throw errors.appNotFound(clientId, at.tenant.id);
  }
  return app;
}

/**
 * The tenant a code or refresh token of this user was issued for, when the URL names another one.
 * The user's own tenant is the grant's: a sign-in on another tenant's endpoint is refused (AADSTS50020),
 * so a grant's tokens always carry the user's `tid`. `common` and `organizations` redeem any tenant's.
 */
export function foreignGrantTenant(
  directory: Directory,
  userId: string,
  at: TenantSegment,
): SeedTenant | undefined {
  if (at.kind !== 'tenant') return undefined;
  const issuedFor = directory.tenantOf(userId) ?? directory.tenant;
  return issuedFor.id === at.tenant.id ? undefined : issuedFor;
}
