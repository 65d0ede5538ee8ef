import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

export const TENANT_INDEPENDENT = ['common', 'organizations'];

/** The URL's tenant must be this emulator's tenant, or `common`/`organizations`. */
export function checkTenant(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const segment = request.tenantSegment;
  if (TENANT_INDEPENDENT.includes(segment.toLowerCase())) return;
  if (!ctx.directory.isTenant(segment)) throw errors.tenantNotFound(segment);
}
