import { AppError, type AppErrorOptions } from '../http/errors';
import type { TokenResult } from './token-result';

/**
 * The HTTP error for a token outcome that is not a token (for routes that need one); `headers` go
 * with it (the middleware clears the session cookie of an ended session).
 */
export function tokenFailure(
  result: Exclude<TokenResult, { kind: 'token' }>,
  headers?: AppErrorOptions['headers'],
): AppError {
  const extra = headers ? { headers } : {};
  if (result.kind === 'failed') {
    if (result.code === 'configuration_error') {
      return new AppError(
        'configuration_error',
        `The identity provider does not know the resource ${result.resource ?? 'this server asked for'}: the server's configuration names it wrongly.`,
        { ...extra, ...(result.resource ? { details: { resource: result.resource } } : {}) },
      );
    }
    if (result.code !== 'provider_unavailable') {
      return new AppError('internal', 'Something went wrong while renewing your session.', extra);
    }
    const retryAfter =
      result.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    return new AppError(
      'provider_unavailable',
      retryAfter === undefined
        ? 'The identity provider is unavailable; your session is kept. Try again shortly.'
        : `The identity provider is unavailable; your session is kept. Try again in ${retryAfter} s.`,
      retryAfter === undefined ? extra : { headers: { ...headers, 'Retry-After': String(retryAfter) } },
    );
  }
  switch (result.reason) {
    case 'revoked':
      return new AppError('login_required', 'Your sign-in is no longer valid. Sign in again.', {
        reason: 'revoked',
        ...extra,
      });
    case 'role_removed':
      return new AppError('role_required', 'You no longer have a role this application requires.', {
        reason: 'role_removed',
        ...extra,
        ...(result.requiredRoles ? { details: { requiredRoles: result.requiredRoles } } : {}),
      });
    case 'interaction_required':
      return new AppError('interaction_required', 'Sign in again to grant access to this resource.', {
        reason: 'consent_required',
        ...extra,
        ...(result.resource ? { details: { resource: result.resource } } : {}),
      });
    case 'claims_challenge':
      return new AppError(
        'interaction_required',
        'Your organisation asks you to sign in again (for example with multi-factor authentication) before this can continue.',
        {
          reason: 'claims_challenge',
          ...extra,
          ...(result.resource ? { details: { resource: result.resource } } : {}),
        },
      );
    case 'id_token_invalid':
      return new AppError(
        'login_required',
        "Your sign-in could not be renewed safely: the identity provider's answer failed validation. Sign in again.",
        { reason: 'id_token_invalid', ...extra },
      );
    case 'token_expired':
      return new AppError('login_required', 'Your sign-in has expired. Sign in again to continue.', {
        reason: 'token_expired',
        ...extra,
      });
    case 'session_ended':
      return new AppError('login_required', 'Your session has ended. Sign in again.', {
        reason: 'no_session',
        ...extra,
      });
    case 'no_refresh_token':
      return new AppError(
        'interaction_required',
        'This needs a fresh sign-in: the server keeps no refresh token (OPENID_REUSE_TOKENS is off).',
        result.resource ? { details: { resource: result.resource }, ...extra } : extra,
      );
  }
}

/**
 * Whether a token outcome means "sign in again" — the session ended, or can give no token any more:
 * routes that can answer without a token (partial results) must still answer this one with
 * `tokenFailure`, so the SPA hears the same 401 from every route.
 */
export function needsSignIn(result: TokenResult): boolean {
  return (
    result.kind === 'reauthenticate' &&
    (result.reason === 'revoked' ||
      result.reason === 'role_removed' ||
      result.reason === 'claims_challenge' ||
      result.reason === 'session_ended' ||
      result.reason === 'id_token_invalid' ||
      result.reason === 'token_expired')
  );
}
