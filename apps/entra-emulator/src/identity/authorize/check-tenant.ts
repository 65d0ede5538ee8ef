import type { EmulatorContext } from '../../context';
import { resolveTenantSegment } from '../tenant-segment';
import type { PartialAuthorizeRequest } from './authorize-request';

/** The URL's tenant: one of the emulator's (id or verified domain), `common`, `organizations` or `consumers`. */
export function checkTenant(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  request.tenant = resolveTenantSegment(ctx.directory, request.tenantSegment);
}
