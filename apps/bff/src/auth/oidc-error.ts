import type { ErrorCode, ErrorReason } from '@gatehouse/contracts';
import { AppError } from '../http/errors';

/**
 * What went wrong with the provider, as a closed set (jose's `code` style): callers `switch` on it.
 * `auth/oidc.ts` turns every openid-client, oauth4webapi and network failure into one of these.
 */
export type OidcFailure =
  /** Discovery, network, timeout, 5xx, `temporarily_unavailable`: try again later; keep sessions. */
  | 'provider_unavailable'
  /** The provider's answer to the callback is an OAuth error (`error=` in the query). */
  | 'authorization_error'
  /** `state` of the callback does not match the login transaction. */
  | 'state_mismatch'
  /** The ID token's `nonce` is not the one this login sent. */
  | 'nonce_mismatch'
  /** The ID token's signature does not verify, or its key is unknown. */
  | 'bad_signature'
  /** `iat`/`exp`/`nbf` outside the tolerance: usually a clock that is off. */
  | 'clock_skew'
  /** Another ID-token or response check failed (`iss`, `aud`, `azp`, `tid`, `sub`, shape). */
  | 'invalid_token'
  /** The code or refresh token is dead (`invalid_grant`, not consent-related). */
  | 'invalid_grant'
  /** The user must interact (consent, MFA, Conditional Access). */
  | 'interaction_required'
  /**
   * The user is no longer assigned to the app (AADSTS50105, "Assignment required"): no interaction
   * helps, it is a lost role.
   */
  | 'not_assigned'
  /** The provider rejected the client's credentials (`invalid_client`). */
  | 'invalid_client'
  /**
   * The scope names a resource the provider does not know (AADSTS500011, `invalid_resource`): the
   * configuration is wrong, retrying cannot help.
   */
  | 'invalid_resource'
  /** Any other OAuth error from the token endpoint (`invalid_request`, `unauthorized_client`, …). */
  | 'provider_error';

export interface OidcErrorDetails {
  /** The OAuth `error` value, when the provider sent one. */
  oauthError?: string;
  /** AADSTS numbers from `error_codes` or `error_description`. */
  aadsts?: number[];
  /** The provider's `error_description`, for logs only (it may echo input). */
  description?: string;
  /** Entra's `trace_id` / `correlation_id`, for the operator. */
  traceId?: string;
  correlationId?: string;
  /** HTTP status of the provider's response, when there was one. */
  status?: number;
  /** The provider's `Retry-After` (429, 503), in seconds. */
  retryAfterSeconds?: number;
  /** A Conditional Access claims challenge (`claims`, JSON) of an `interaction_required` answer. */
  claims?: string;
}

/** A `Retry-After` header (seconds or an HTTP date) in whole seconds from `now`, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const wire: Record<OidcFailure, { code: ErrorCode; reason?: ErrorReason }> = {
  provider_unavailable: { code: 'provider_unavailable' },
  invalid_client: { code: 'provider_unavailable' },
  authorization_error: { code: 'login_required' },
  state_mismatch: { code: 'login_required' },
  nonce_mismatch: { code: 'login_required' },
  bad_signature: { code: 'login_required' },
  clock_skew: { code: 'login_required' },
  invalid_token: { code: 'login_required' },
  invalid_grant: { code: 'login_required', reason: 'revoked' },
  interaction_required: { code: 'interaction_required', reason: 'consent_required' },
  not_assigned: { code: 'role_required', reason: 'role_removed' },
  invalid_resource: { code: 'configuration_error' },
  provider_error: { code: 'provider_unavailable' },
};

/** A provider failure: an `AppError` (wire code and safe message) that also says exactly what failed. */
export class OidcError extends AppError {
  readonly failure: OidcFailure;
  readonly provider: OidcErrorDetails;

  constructor(failure: OidcFailure, message: string, provider: OidcErrorDetails = {}, cause?: unknown) {
    const { code, reason } = wire[failure];
    super(code, message, { ...(reason ? { reason } : {}), cause });
    this.name = 'OidcError';
    this.failure = failure;
    this.provider = provider;
  }
}

/** AADSTS numbers in Entra's `error_codes` array and in an `error_description` ("AADSTS50011: …"). */
export function parseAadsts(body: { error_codes?: unknown; error_description?: unknown }): number[] {
  const codes = new Set<number>();
  if (Array.isArray(body.error_codes)) {
    for (const code of body.error_codes) if (Number.isInteger(code)) codes.add(code as number);
  }
  if (typeof body.error_description === 'string') {
    for (const match of body.error_description.matchAll(/AADSTS(\d{4,7})/g)) codes.add(Number(match[1]));
  }
  return [...codes];
}

/** AADSTS codes that mean "a person has to do something" rather than "the grant is dead". */
const interactionAadsts = new Set([65001, 50076, 50079, 50078, 53003, 50158, 50072, 50074]);
/** AADSTS50105: the app requires assignment and the user is not (or no longer) assigned. */
const NOT_ASSIGNED = 50105;
/** AADSTS500011: "The resource principal named … was not found in the tenant". */
const RESOURCE_NOT_FOUND = 500011;

/** OAuth `error` values of a token-endpoint (or callback) error response, classified. */
export function classifyOAuthError(oauthError: string, aadsts: readonly number[]): OidcFailure {
  if (aadsts.includes(NOT_ASSIGNED)) return 'not_assigned';
  if (aadsts.includes(RESOURCE_NOT_FOUND) || oauthError === 'invalid_resource') return 'invalid_resource';
  if (
    oauthError === 'interaction_required' ||
    oauthError === 'consent_required' ||
    oauthError === 'login_required'
  ) {
    return 'interaction_required';
  }
  if (aadsts.some((code) => interactionAadsts.has(code))) return 'interaction_required';
  switch (oauthError) {
    case 'invalid_grant':
      return 'invalid_grant';
    case 'invalid_client':
    case 'unauthorized_client':
      return 'invalid_client';
    case 'temporarily_unavailable':
    case 'server_error':
      return 'provider_unavailable';
    default:
      return 'provider_error';
  }
}
