import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import { appAt } from '../tenant-segment';
import type { PartialAuthorizeRequest } from './authorize-request';

/** `client_id` names an app registration the URL's tenant has (`appAt`: AADSTS700016, 50194, 70002). */
export function checkClient(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const clientId = request.params.client_id;
  if (!clientId) throw errors.missingParameter('client_id', 'request');
  if (!request.tenant) throw new TypeError('checkTenant runs before checkClient.');
  const app = appAt(ctx.directory, clientId, request.tenant);
  request.clientId = app.clientId;
  request.app = app;
}
