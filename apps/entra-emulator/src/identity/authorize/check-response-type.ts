import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

/** Only the authorization code flow is emulated: `response_type=code`. */
export function checkResponseType(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const type = request.params.response_type;
  if (!type) throw errors.missingParameter('response_type', 'request');
  if (type !== 'code') throw errors.unsupportedResponseType(type);
  request.responseType = 'code';
}
