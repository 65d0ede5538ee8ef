import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest, Prompt } from './authorize-request';

const PROMPTS: Prompt[] = ['login', 'none', 'select_account', 'consent'];

/** `prompt`, `login_hint`, `domain_hint`, `state` and `nonce`, read once. */
export function checkPrompt(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const { prompt, login_hint, domain_hint, state, nonce } = request.params;
  if (prompt !== undefined && !PROMPTS.includes(prompt as Prompt)) {
    throw errors.invalidRequest(
      90023,
      `Invalid prompt value '${prompt}'. Expected one of: ${PROMPTS.join(', ')} (create is not emulated).`,
    );
  }
  request.prompt = prompt as Prompt | undefined;
  request.loginHint = login_hint || undefined;
  request.domainHint = domain_hint || undefined;
  request.state = state;
  request.nonce = nonce;
}
