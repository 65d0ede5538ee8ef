import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * PKCE: optional for a confidential web app, as in Entra, but once a challenge is sent the token request
 * must prove it. A public client (no secret) must use it.
 */
export function checkPkce(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const challenge = request.params.code_challenge;
  const method = request.params.code_challenge_method;
  if (!challenge) {
    if (method)
      throw errors.invalidRequest(501491, "'code_challenge_method' was sent without 'code_challenge'.");
    if (request.app!.secrets.length === 0) {
      throw errors.invalidRequest(
        9002325,
        'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
      );
    }
    return;
  }
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    throw errors.invalidRequest(50148, `The code_challenge_method '${method}' is not supported: use S256.`);
  }
  if (!CHALLENGE.test(challenge)) {
    throw errors.invalidRequest(
      501491,
      'Invalid size of Code_Challenge parameter: it must be 43 to 128 characters of [A-Za-z0-9-._~].',
    );
  }
  request.codeChallenge = challenge;
  request.codeChallengeMethod = method === 'S256' ? 'S256' : 'plain';
}
