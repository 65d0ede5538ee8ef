import { decodeJwt } from 'jose';
import { toStringList } from '../auth/claim-path';
import { AppError } from '../http/errors';
import type { SessionRecord } from '../session/session-store';

/** The app role that may manage local groups (an app role of Gatehouse's registration in Entra). */
export const ADMIN_ROLE = 'Gatehouse.Admin';

/**
 * Whether the session's user holds Gatehouse.Admin, read from the `roles` claim of the session's
 * latest validated ID token (replaced at every refresh, so a removed role stops counting within one
 * access-token lifetime).
 */
export function hasAdminRole(session: SessionRecord): boolean {
  if (session.roles.includes(ADMIN_ROLE)) return true;
  try {
    return toStringList(decodeJwt(session.tokens.idToken).roles).includes(ADMIN_ROLE);
  } catch {
    return false;
  }
}

export function requireAdmin(session: SessionRecord): void {
  if (!hasAdminRole(session)) {
    throw new AppError('forbidden', `Managing local groups needs the ${ADMIN_ROLE} app role.`);
  }
}
