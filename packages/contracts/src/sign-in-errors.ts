import { z } from 'zod';

/**
 * Codes the BFF sends to the SPA's `/sign-in-error?code=…` page when a sign-in fails. The page has a
 * sentence for each (typed by `SignInErrorCode`, so a new code cannot ship without its text); the
 * operator's fix travels separately, as the BFF's log line and, in development, the `hint`.
 */
export const signInErrorCodes = [
  /** The user cancelled the sign-in or declined consent. */
  'access_denied',
  'redirect_uri_mismatch',
  'invalid_client',
  'client_secret_expired',
  'consent_required',
  /** The app requires assignment and the user is not assigned. */
  'not_assigned',
  'response_type_disabled',
  /** `OPENID_ISSUER` names a tenant that does not exist. */
  'wrong_tenant',
  /** `OPENID_CLIENT_ID` is not an application of the tenant. */
  'wrong_client',
  /** The server's clock is outside the ID token's time window (or Entra's, for client assertions). */
  'clock_skew',
  /** MFA, Conditional Access or consent that could not be completed. */
  'interaction_required',
  /** The callback matched no sign-in started in this browser (expired, replayed, another tab). */
  'invalid_state',
  /** The ID token failed validation (signature, nonce, claims). */
  'invalid_token',
  'provider_unavailable',
  /** Any other error the provider answered with. */
  'provider_error',
  /** A failure inside the BFF; the log has the cause. */
  'internal',
] as const;
export const signInErrorCodeSchema = z.enum(signInErrorCodes);
export type SignInErrorCode = z.infer<typeof signInErrorCodeSchema>;
