import type { EmulatorContext } from '../../context';
import { OAuthError } from '../oauth-error';
import type { AuthorizeRequest, PartialAuthorizeRequest } from './authorize-request';
import { checkClaims } from './check-claims';
import { checkClient } from './check-client';
import { checkPkce } from './check-pkce';
import { checkPrompt } from './check-prompt';
import { checkRedirectUri } from './check-redirect-uri';
import { checkResponseMode } from './check-response-mode';
import { checkResponseType } from './check-response-type';
import { checkScope } from './check-scope';
import { checkTenant } from './check-tenant';

type Check = (ctx: EmulatorContext, request: PartialAuthorizeRequest) => void;

/** Rules whose failure is shown on Entra's error page: the redirect URI cannot be trusted yet. */
const beforeRedirectUri: Check[] = [checkTenant, checkClient, checkRedirectUri];
/** Rules whose failure goes back to the app's redirect URI as `?error=`. */
const afterRedirectUri: Check[] = [
  checkResponseMode,
  checkPrompt,
  checkResponseType,
  checkScope,
  checkPkce,
  checkClaims,
];

export type AuthorizeValidation =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'show-error'; error: OAuthError }
  | {
      kind: 'redirect-error';
      error: OAuthError;
      request: PartialAuthorizeRequest & Pick<AuthorizeRequest, 'redirectUri' | 'responseMode'>;
    };

export function validateAuthorizeRequest(
  ctx: EmulatorContext,
  tenantSegment: string,
  params: Record<string, string>,
): AuthorizeValidation {
  const request: PartialAuthorizeRequest = { tenantSegment, params };
  try {
    for (const check of beforeRedirectUri) check(ctx, request);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return { kind: 'show-error', error };
  }
  try {
    for (const check of afterRedirectUri) check(ctx, request);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    request.state = params.state;
    request.responseMode ??= 'query';
    return {
      kind: 'redirect-error',
      error,
      request: request as PartialAuthorizeRequest & Pick<AuthorizeRequest, 'redirectUri' | 'responseMode'>,
    };
  }
  return { kind: 'ok', request: request as AuthorizeRequest };
}
