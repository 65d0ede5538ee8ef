import type { Config } from '@gatehouse/config';
import { spaPaths } from '@gatehouse/contracts';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { OidcError } from './oidc-error';
import { describeSignInFailure, type SignInErrorCode, type SignInFailure } from './sign-in-errors';

export type SignInRedirectConfig = Pick<
  Config,
  | 'DOMAIN_CLIENT'
  | 'OPENID_CLIENT_ID'
  | 'OPENID_ISSUER'
  | 'OPENID_CLOCK_TOLERANCE'
  | 'redirectUri'
  | 'loginScopes'
  | 'isProduction'
>;

/**
 * Sends the browser to the SPA's calm `/sign-in-error?code=…` page. The operator's fix goes to the
 * log; in development it also travels as `hint`, so the person trying the app sees it at once.
 */
export function redirectToSignInError(
  c: Context,
  deps: { config: SignInRedirectConfig; log: Logger },
  failure: SignInFailure,
  context: Record<string, unknown> = {},
): Response {
  const { config } = deps;
  deps.log.warn({ signInError: failure.code, ...context }, `sign-in failed: ${failure.hint}`);
  const url = new URL(spaPaths.signInError, config.DOMAIN_CLIENT);
  url.searchParams.set('code', failure.code);
  if (!config.isProduction) url.searchParams.set('hint', failure.hint);
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.href, 302);
}

/** A provider failure during sign-in: its code, the AADSTS fix, the Entra trace ids for the log. */
export function redirectForProviderError(
  c: Context,
  deps: { config: SignInRedirectConfig; log: Logger },
  error: unknown,
): Response {
  if (!(error instanceof OidcError)) {
    deps.log.error({ err: error }, 'sign-in failed unexpectedly');
    return redirectToSignInError(c, deps, {
      code: 'internal',
      hint: 'Unexpected error; see the server log.',
    });
  }
  const { config } = deps;
  const failure = describeSignInFailure(error, {
    redirectUri: config.redirectUri,
    clientId: config.OPENID_CLIENT_ID,
    issuer: config.OPENID_ISSUER,
    clockToleranceSeconds: config.OPENID_CLOCK_TOLERANCE,
    scopes: config.loginScopes,
  });
  const { description, ...provider } = error.provider;
  return redirectToSignInError(c, deps, failure, {
    failure: error.failure,
    ...provider,
    // Entra's descriptions name codes and trace ids, never secrets; other providers' are kept short.
    ...(description ? { description: description.slice(0, 300) } : {}),
  });
}

export function signInError(code: SignInErrorCode, hint: string): SignInFailure {
  return { code, hint };
}
