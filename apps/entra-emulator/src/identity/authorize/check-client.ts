import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';
import { TENANT_INDEPENDENT } from './check-tenant';

/**
 * `client_id` names a registered app (all live in the home tenant). A single-tenant app may not use
 * `/common` or `/organizations` (AADSTS50194), and does not exist in another tenant's directory
 * (AADSTS700016); a multi-tenant app is found through every tenant.
 */
export function checkClient(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const clientId = request.params.client_id;
  if (!clientId) throw errors.missingParameter('client_id', 'request');
  const app = ctx.directory.findApp(clientId);
  if (!app) throw errors.appNotFound(clientId, request.tenantSegment);
  if (app.signInAudience === 'AzureADMyOrg') {
    if (TENANT_INDEPENDENT.includes(request.tenantSegment.toLowerCase())) {
      throw errors.singleTenantOnCommon(clientId);
    }
    const tenant = ctx.directory.findTenant(request.tenantSegment);
    if (tenant && tenant.id !== ctx.directory.tenant.id) throw errors.appNotFound(clientId, tenant.id);
  }
  request.clientId = app.clientId;
  request.app = app;
}
