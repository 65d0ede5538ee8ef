import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

/** `scope` is required and must name known scopes of known resources. */
export function checkScope(ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const scope = request.params.scope?.trim();
  if (!scope) throw errors.missingParameter('scope', 'request');
  request.scope = scope;
  request.parsedScope = ctx.resources.parse(scope);
  if (!request.parsedScope.oidc.has('openid') && request.parsedScope.resources.length === 0) {
    throw errors.invalidScope('The scope must contain openid or at least one resource scope.');
  }
}
