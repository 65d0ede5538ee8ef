import { type ErrorReason, routes, type SessionResponse, sessionResponseSchema } from '@gatehouse/contracts';
import { type ApiClient, ApiError, type RequestOptions } from '../../../lib/api-client';

/**
 * The BFF's answer to "who is signed in here?", as a value: a missing session is not an error.
 * (Not the BFF's own `SessionCheck`, which is what its middleware found behind a cookie.)
 */
export type SessionAnswer =
  | { kind: 'signed-in'; session: SessionResponse }
  | { kind: 'signed-out'; reason: ErrorReason }
  | { kind: 'unavailable'; error: ApiError };

export async function getSession(api: ApiClient, options?: RequestOptions): Promise<SessionAnswer> {
  try {
    return { kind: 'signed-in', session: await api.get(routes.session, sessionResponseSchema, options) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'login_required') return { kind: 'signed-out', reason: error.reason ?? 'no_session' };
    if (error.code === 'role_required') return { kind: 'signed-out', reason: error.reason ?? 'role_removed' };
    // The provider wants the user back (MFA, Conditional Access, consent): the BFF keeps the session,
    // but only a fresh interactive sign-in helps — offer it, as for a session that ended.
    if (error.code === 'interaction_required') {
      return { kind: 'signed-out', reason: error.reason ?? 'consent_required' };
    }
    return { kind: 'unavailable', error };
  }
}
