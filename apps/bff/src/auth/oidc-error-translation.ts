/**
 * Every failure of openid-client, oauth4webapi, jose or the network, translated into an `OidcError`
 * with a stable `failure` (openid-client's own `errorHandler` does the same for its callers). The
 * provider's OAuth error and AADSTS numbers are kept as details; the original is the `cause`.
 */
import * as client from 'openid-client';
import { isClaimsJson } from './claims-parameter';
import { IdTokenSignatureError } from './id-token-signature';
import {
  classifyOAuthError,
  OidcError,
  type OidcErrorDetails,
  type OidcFailure,
  parseAadsts,
  parseRetryAfter,
} from './oidc-error';

export type OidcOperation = 'discovery' | 'code' | 'refresh' | 'userinfo';

/** Every failure of openid-client, oauth4webapi, jose or the network, as an `OidcError`. */
export async function translateOidcError(err: unknown, operation: OidcOperation): Promise<OidcError> {
  if (err instanceof OidcError) return err;

  if (err instanceof IdTokenSignatureError) {
    return err.code === 'jwks_unavailable'
      ? new OidcError('provider_unavailable', "The provider's signing keys could not be fetched.", {}, err)
      : new OidcError(
          'bad_signature',
          'The ID token signature is not valid.',
          { description: err.message },
          err,
        );
  }

  if (err instanceof client.AuthorizationResponseError) {
    const details = oauthDetails(err.error, err.error_description, err.cause);
    const failure = classifyOAuthError(err.error, details.aadsts ?? []);
    return new OidcError(
      failure === 'interaction_required' ? 'interaction_required' : 'authorization_error',
      'The provider refused the sign-in.',
      details,
      err,
    );
  }

  if (err instanceof client.ResponseBodyError) {
    const details = {
      ...oauthDetails(err.error, err.error_description, err.cause),
      status: err.status,
      ...retryAfterOf(err.response),
    };
    const failure =
      err.status >= 500 ? 'provider_unavailable' : classifyOAuthError(err.error, details.aadsts ?? []);
    return new OidcError(failure, oidcMessages[failure], details, err);
  }

  if (err instanceof client.WWWAuthenticateChallengeError) {
    // A 401 with a challenge (Entra's invalid_client): the body still holds error_codes; read it.
    const body = (await err.response.json().catch(() => undefined)) as
      | { error?: unknown; error_description?: unknown }
      | undefined;
    const oauthError =
      (typeof body?.error === 'string' ? body.error : undefined) ?? err.cause[0]?.parameters.error;
    const details = oauthDetails(
      oauthError ?? '',
      typeof body?.error_description === 'string' ? body.error_description : undefined,
      body,
    );
    const status = err.response.status;
    const failure =
      status === 401 && (!oauthError || oauthError === 'invalid_client')
        ? 'invalid_client'
        : classifyOAuthError(oauthError ?? '', details.aadsts ?? []);
    return new OidcError(failure, oidcMessages[failure], { ...details, status }, err);
  }

  if (err instanceof client.ClientError) {
    const code = err.code ?? '';
    // openid-client wraps oauth4webapi's error: its precise message and details are one level down.
    const inner = err.cause instanceof Error ? err.cause : undefined;
    const detail = inner?.message ?? err.message;
    const fail = (failure: OidcFailure, description = detail, extra: OidcErrorDetails = {}) =>
      new OidcError(failure, oidcMessages[failure], { description, ...extra }, err);
    const invalid = operation === 'discovery' ? 'provider_error' : 'invalid_token';
    switch (code) {
      case 'OAUTH_TIMEOUT':
      case 'OAUTH_ABORT':
      case 'OAUTH_RESPONSE_IS_NOT_JSON':
        return fail('provider_unavailable');
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM': {
        const response = err.cause instanceof Response ? err.cause : undefined;
        const status = response?.status;
        const transient = status === undefined || status >= 500 || status === 429;
        return fail(
          transient ? 'provider_unavailable' : 'provider_error',
          detail,
          status ? { status, ...retryAfterOf(response) } : {},
        );
      }
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return fail('clock_skew');
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
        const claim = (inner?.cause as { claim?: string } | undefined)?.claim;
        return claim === 'nonce' ? fail('nonce_mismatch') : fail('invalid_token', `${detail} (${claim})`);
      }
      case 'OAUTH_INVALID_RESPONSE':
        return /"state"/.test(detail) ? fail('state_mismatch') : fail(invalid);
      case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
        return operation === 'discovery'
          ? new OidcError('provider_error', 'The provider says its issuer is different from OPENID_ISSUER.', {
              description: detail,
            })
          : fail('invalid_token');
      case 'OAUTH_KEY_SELECTION_FAILED':
        return fail('bad_signature');
      default:
        return isNetworkError(err.cause)
          ? fail('provider_unavailable', String(err.cause))
          : fail(invalid, `${code} ${detail}`);
    }
  }

  if (isNetworkError(err)) {
    return new OidcError(
      'provider_unavailable',
      oidcMessages.provider_unavailable,
      { description: String(err) },
      err,
    );
  }
  return new OidcError('provider_error', oidcMessages.provider_error, { description: String(err) }, err);
}

export const oidcMessages = {
  provider_unavailable: 'The identity provider is unavailable. Try again in a moment.',
  authorization_error: 'The provider refused the sign-in.',
  state_mismatch: 'This sign-in attempt does not match the one started in this browser.',
  nonce_mismatch: 'The ID token was not issued for this sign-in attempt.',
  bad_signature: 'The ID token signature is not valid.',
  clock_skew: "The ID token's timestamps are outside the accepted clock tolerance.",
  invalid_token: 'The ID token failed validation.',
  invalid_grant: 'The grant is no longer valid: sign in again.',
  interaction_required: 'The provider needs you to sign in again interactively.',
  not_assigned: 'You are not assigned to this application. Ask your administrator for access.',
  invalid_client: "The provider rejected this application's credentials.",
  invalid_resource: 'The identity provider does not know a resource this server asked for.',
  provider_error: 'The identity provider returned an error.',
} as const;

function oauthDetails(error: string, description: string | undefined, body: unknown): OidcErrorDetails {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const aadsts = parseAadsts({ error_codes: raw.error_codes, error_description: description });
  return {
    oauthError: error,
    ...(aadsts.length ? { aadsts } : {}),
    ...(description ? { description } : {}),
    ...(typeof raw.trace_id === 'string' ? { traceId: raw.trace_id } : {}),
    ...(typeof raw.correlation_id === 'string' ? { correlationId: raw.correlation_id } : {}),
    ...(typeof raw.claims === 'string' && isClaimsJson(raw.claims) ? { claims: raw.claims } : {}),
  };
}

function retryAfterOf(response: Response | undefined): { retryAfterSeconds?: number } {
  const seconds = parseRetryAfter(response?.headers.get('retry-after'), Date.now());
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

function isNetworkError(err: unknown): boolean {
  if (err instanceof DOMException) return err.name === 'TimeoutError' || err.name === 'AbortError';
  // undici: TypeError('fetch failed') with a system error (ECONNREFUSED, …) as cause.
  return err instanceof TypeError && !(err as { code?: string }).code?.startsWith('ERR_INVALID');
}
