import type { Clock } from '../clock';
import type { RefreshBackoff, SessionRecord } from './session-store';

export type ReauthenticateReason =
  /** The refresh token is dead (`invalid_grant`): the session was deleted. */
  | 'revoked'
  /** The role policy no longer allows the user: the session was deleted. */
  | 'role_removed'
  /** Consent, MFA or Conditional Access for `resource`: the session is kept. */
  | 'interaction_required'
  /**
   * Conditional Access wants a step-up (MFA, an authentication context): the challenge is kept in
   * the session for the next sign-in; the session is kept.
   */
  | 'claims_challenge'
  /**
   * No refresh token (token reuse off) and the session never held a token for this resource: a
   * sign-in that asks for it is needed. The session is kept.
   */
  | 'no_refresh_token'
  /** No refresh token and the token (the resource's, or the sign-in's own) expired: sign in again. */
  | 'token_expired'
  /** The session disappeared meanwhile (signed out in another tab, expired). */
  | 'session_ended'
  /** A refresh returned an ID token that failed validation (a security event): the session was deleted. */
  | 'id_token_invalid';

/** What the token manager answers: never null, never an exception for an expected failure (Duende's `AccessTokenResult`). */
export type TokenResult =
  | { kind: 'token'; accessToken: string; expiresAt: number; session: SessionRecord }
  | { kind: 'reauthenticate'; reason: ReauthenticateReason; resource?: string; requiredRoles?: string[] }
  | {
      kind: 'failed';
      /** `configuration_error`: the provider does not know `resource` (AADSTS500011); no retry helps. */
      code: 'provider_unavailable' | 'configuration_error' | 'internal';
      /** How long callers should wait before trying again (the session's refresh back-off). */
      retryAfterMs?: number;
      /** The resource the failed request was for. */
      resource?: string;
      /** What the provider answered, for the route to explain (never a secret). */
      provider?: { oauthError?: string; aadsts?: number[] };
    };

/** A resource other than the session's own token: Graph, a SharePoint site. */
export interface ResourceSpec {
  /** Cache key, the resource's audience: `https://graph.microsoft.com`. */
  resource: string;
  /** Scopes to request with the refresh token, e.g. `https://graph.microsoft.com/User.Read`. */
  scope: readonly string[];
  /**
   * Where the session caches the token, when one resource has tokens of different scopes (Graph for
   * the directory and Graph for picked files); default `resource`.
   */
  key?: string;
  /** The `claims` parameter of its token requests: Graph's asks for CAE (`xms_cc`, auth/claims-challenge.ts). */
  claims?: string;
}

/** The session's cache key of a resource's token. */
export const tokenKeyOf = (spec: ResourceSpec): string => spec.key ?? spec.resource;

export function reauthenticate(
  reason: ReauthenticateReason,
  extra: { resource?: string; requiredRoles?: string[] } = {},
): TokenResult {
  return { kind: 'reauthenticate', reason, ...extra };
}

/** The answer while a session's refresh back-off is in force: 503, try again at `retryAt`. */
export function backingOff(backoff: RefreshBackoff, clock: Clock): TokenResult {
  return {
    kind: 'failed',
    code: 'provider_unavailable',
    retryAfterMs: Math.max(0, backoff.retryAt - clock.now()),
  };
}
