import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';
import { TENANT_INDEPENDENT } from './check-tenant';

/** `client_id` names a registered app; a single-tenant app may not use `/common` (AADSTS50194). */
export function checkClient(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const clientId = request.params.client_id;
  if (!clientId) throw errors.missingParameter('client_id', 'request');
  const app = ctx.directory.findApp(clientId);
  if (!app) throw errors.appNotFound(clientId, request.tenantSegment);
  if (
    app.signInAudience === 'AzureADMyOrg' &&
    TENANT_INDEPENDENT.includes(request.tenantSegment.toLowerCase())
  ) {
    throw errors.singleTenantOnCommon(clientId);
  }
  request.clientId = app.clientId;
  request.app = app;
}
