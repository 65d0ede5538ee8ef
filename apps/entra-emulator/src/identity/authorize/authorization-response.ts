import type { Context } from 'hono';
import type { EmulatorContext } from '../../context';
import { errors, type OAuthError } from '../oauth-error';
import type { SsoSession } from '../sso-session-store';
import type { AuthorizeRequest, PartialAuthorizeRequest } from './authorize-request';
import { type ResponseTarget, sendAuthorizationResponse } from './response-modes';

export interface AuthorizationResponses {
  /** Success: a code bound to the request (PKCE, nonce, redirect URI) and the SSO session. */
  code(c: Context, request: AuthorizeRequest, session: SsoSession): Response | Promise<Response>;
  /** Failure after the redirect URI was trusted: `error`, `error_description`, `error_uri`, `state`. */
  error(
    c: Context,
    request: PartialAuthorizeRequest & ResponseTarget,
    error: OAuthError,
  ): Response | Promise<Response>;
}

/** Builds the parameters of an authorization response, then hands them to the response mode. */
export function createAuthorizationResponses(
  ctx: Pick<EmulatorContext, 'grants' | 'clock' | 'directory' | 'faults'>,
): AuthorizationResponses {
  const tenantName = () => ctx.directory.tenant.displayName;
  const responses: AuthorizationResponses = {
    code(c, request, session) {
      // An authentication context stands for a step-up (MFA): a sign-in that asked the user (the
      // endpoint shows the page when the context is not yet met) meets it for this SSO session (and a
      // pending demand); a silent one gets it only if met before.
      if (request.acrs.length && request.prompt === 'none') {
        const unmet = request.acrs.find((acrs) => !session.acrs.has(acrs));
        if (unmet !== undefined) return responses.error(c, request, errors.mfaRequiredInteractive(unmet));
      } else if (request.acrs.length) {
        for (const acrs of request.acrs) session.acrs.add(acrs);
        ctx.faults.satisfyClaims(request.acrs);
      }
      session.clients.add(request.clientId);
      const code = ctx.grants.issueCode(
        {
          clientId: request.clientId,
          userId: session.userId,
          sessionId: session.id,
          scope: request.scope,
          authTime: session.authTime,
          redirectUri: request.redirectUri,
          nonce: request.nonce,
          codeChallenge: request.codeChallenge,
          codeChallengeMethod: request.codeChallengeMethod,
          ...(request.acrs.length ? { acrs: request.acrs } : {}),
          ...(request.clientCapabilities.length ? { clientCapabilities: request.clientCapabilities } : {}),
        },
        ctx.clock(),
      );
      return sendAuthorizationResponse(
        c,
        request,
        {
          code,
          ...(request.state !== undefined ? { state: request.state } : {}),
          session_state: session.id,
        },
        tenantName(),
      );
    },
    error(c, request, error) {
      const body = error.body(ctx.clock());
      return sendAuthorizationResponse(
        c,
        request,
        {
          error: error.error,
          error_description: body.error_description,
          error_uri: body.error_uri,
          ...(error.suberror ? { suberror: error.suberror } : {}),
          ...(request.state !== undefined ? { state: request.state } : {}),
        },
        tenantName(),
      );
    },
  };
  return responses;
}
