import { z } from 'zod';

/**
 * Every error code the BFF puts on the wire, snake_case as sent. The SPA switches on `error`;
 * `reason` narrows it down (why a session ended, which check failed) so the SPA never guesses.
 */
export const errorCodes = [
  'login_required',
  'role_required',
  'interaction_required',
  'csrf',
  'forbidden',
  'not_found',
  'bad_request',
  /** A query or body field is missing or malformed (the message names it). */
  'invalid_request',
  /** The feature behind this route is turned off in the configuration. */
  'feature_disabled',
  /** A grant names an Entra object id that Microsoft Graph does not know. */
  'unknown_principal',
  /** The change would leave a conversation without an owner. */
  'last_owner',
  /** `POST /api/sharepoint/token`: the resource is not the configured SharePoint origin or its `-my` twin. */
  'resource_not_allowed',
  'rate_limited',
  'provider_unavailable',
  /**
   * The server's configuration is wrong in a way only its operator can fix (e.g. the identity provider
   * does not know the SharePoint resource it names); the message names the variables to check.
   */
  'configuration_error',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Why a request needs a (new) sign-in or was refused. */
export const errorReasons = [
  'no_session',
  'idle_timeout',
  'absolute_timeout',
  'revoked',
  'role_removed',
  'signed_out',
  'missing_header',
  'cross_site',
  'consent_required',
  /**
   * Conditional Access asks for more (MFA, an authentication context): sign in through
   * `/oauth/openid?returnTo=…`, which carries the challenge the BFF kept.
   */
  'claims_challenge',
  /** A token refresh returned an ID token that failed validation: the session was ended. */
  'id_token_invalid',
  /** No refresh token and the access token expired: only a new sign-in gives a token. */
  'token_expired',
] as const;
export type ErrorReason = (typeof errorReasons)[number];

export const apiErrorSchema = z.object({
  error: z.enum(errorCodes),
  reason: z.enum(errorReasons).optional(),
  message: z.string(),
  /** For `interaction_required`: the resource (audience) that needs consent or a new sign-in. */
  resource: z.string().optional(),
  /** For `role_required`: the roles of which the user needs one. */
  requiredRoles: z.array(z.string()).optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
