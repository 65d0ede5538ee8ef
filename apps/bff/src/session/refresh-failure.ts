import type { Logger } from 'pino';
import { OidcError } from '../auth/oidc-error';
import { AppError } from '../http/errors';
import type { RefreshBackoffs } from './refresh-backoff';
import type { SessionRecord, SessionStore } from './session-store';
import { reauthenticate, type TokenResult } from './token-result';

export type RefreshFailureHandler = (
  err: unknown,
  session: SessionRecord,
  resource?: string,
) => Promise<TokenResult>;

/**
 * What a failed refresh means for the caller, as a value: the session is deleted only when it
 * cannot recover (a dead refresh token, a user unassigned from the app, an ID token that failed
 * validation — a security event, logged as such); the provider or the
 * refresh lock being down keeps it. A provider failure starts or grows the session's refresh
 * back-off (`refresh-backoff.ts`): the answer carries how long to wait.
 */
export function createRefreshFailureHandler(deps: {
  store: Pick<SessionStore, 'delete' | 'update'>;
  log: Logger;
  backoffs: Pick<RefreshBackoffs, 'failed'>;
  clock: { now(): number };
}): RefreshFailureHandler {
  const { store, log } = deps;
  /** 503 with the wait before the next attempt (at least the provider's Retry-After). */
  const unavailable = async (session: SessionRecord, err: OidcError): Promise<TokenResult> => {
    const seconds = err.provider.retryAfterSeconds;
    const backoff = await deps.backoffs.failed(
      session.id,
      seconds === undefined ? undefined : seconds * 1000,
    );
    return {
      kind: 'failed',
      code: 'provider_unavailable',
      retryAfterMs: Math.max(0, backoff.retryAt - deps.clock.now()),
    };
  };
  return async function onRefreshError(err, session, resource) {
    if (err instanceof OidcError) {
      const context = { session: session.id.slice(0, 8), resource, failure: err.failure, ...err.provider };
      switch (err.failure) {
        case 'invalid_grant':
          log.info(context, 'refresh token rejected (invalid_grant): session ended');
          await store.delete(session.id);
          return reauthenticate('revoked');
        case 'not_assigned':
          // AADSTS50105: unassigned from the app — a lost role, not something a sign-in can fix.
          log.info(context, 'user no longer assigned to the app: session ended');
          await store.delete(session.id);
          return reauthenticate('role_removed');
        case 'bad_signature':
        case 'invalid_token':
        case 'clock_skew':
        case 'nonce_mismatch':
          // Not an outage: the provider's answer (its ID token) failed validation — a forged or
          // broken token. Nothing of that response is used, its refresh token included; the session
          // ends, since the next refresh could only repeat it.
          log.error(
            { ...context, event: 'security' },
            `refreshed ID token failed validation (${err.failure}): session ended`,
          );
          await store.delete(session.id);
          return reauthenticate('id_token_invalid');
        case 'invalid_resource':
          // A configuration error, not an outage: no back-off (other resources still work), the
          // session is kept, and the route that asked explains it (and logs it, once).
          log.debug(context, 'the provider does not know the resource asked for');
          return {
            kind: 'failed',
            code: 'configuration_error',
            ...(resource ? { resource } : {}),
            provider: {
              ...(err.provider.oauthError ? { oauthError: err.provider.oauthError } : {}),
              ...(err.provider.aadsts ? { aadsts: err.provider.aadsts } : {}),
            },
          };
        case 'interaction_required':
          if (err.provider.claims) {
            // Kept server-side (encrypted with the tokens): the sign-in replays exactly this value.
            log.info(context, 'refresh answered with a claims challenge: step-up sign-in needed');
            await store.update(session.id, {
              tokens: { ...session.tokens, claimsChallenge: err.provider.claims },
            });
            return reauthenticate('claims_challenge', resource ? { resource } : {});
          }
          log.info(context, 'refresh needs user interaction');
          return reauthenticate('interaction_required', resource ? { resource } : {});
        case 'invalid_client':
          log.error(context, "refresh failed: the provider rejected the BFF's client credentials");
          return unavailable(session, err);
        default:
          log.warn(context, `refresh failed: ${err.message}`);
          return unavailable(session, err);
      }
    }
    if (err instanceof AppError && err.code === 'interaction_required') {
      // Graph refused the token minted for a role re-check (Conditional Access, consent).
      log.info({ session: session.id.slice(0, 8), err }, 'role re-check needs user interaction');
      return reauthenticate(
        'interaction_required',
        err.details?.resource ? { resource: err.details.resource } : {},
      );
    }
    if (err instanceof AppError && err.code === 'provider_unavailable') {
      log.warn({ session: session.id.slice(0, 8), err }, 'refresh lock or provider unavailable');
      return { kind: 'failed', code: 'provider_unavailable' };
    }
    log.error({ session: session.id.slice(0, 8), err }, 'refresh failed unexpectedly');
    return { kind: 'failed', code: 'internal' };
  };
}
