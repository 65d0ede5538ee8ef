import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest, ResponseMode } from './authorize-request';

const MODES: ResponseMode[] = ['query', 'fragment', 'form_post'];

/** `response_mode`: query (the default for the code flow), fragment or form_post. */
export function checkResponseMode(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const mode = request.params.response_mode ?? 'query';
  // Set a usable mode before throwing, so the error itself can be delivered.
  request.responseMode = 'query';
  if (!MODES.includes(mode as ResponseMode)) {
    throw errors.invalidRequest(
      900144,
      `The provided value for the input parameter 'response_mode' is not valid: '${mode}'. Expected one of: ${MODES.join(', ')}.`,
    );
  }
  request.responseMode = mode as ResponseMode;
}
