import type { AccountInfo } from '@azure/msal-browser';
import type { SessionResponse } from '@gatehouse/contracts';

/**
 * The msal `AccountInfo` for a BFF session. Only profile facts the BFF chose to share: there is no
 * `idToken` and `idTokenClaims` holds display fields, never anything that proves identity to a third
 * party. `homeAccountId` follows msal's `<object id>.<tenant id>` shape with Gatehouse's user id.
 */
export function accountFromSession(session: SessionResponse, environment: string): AccountInfo {
  const { user } = session;
  return {
    homeAccountId: user.tenantId ? `${user.id}.${user.tenantId}` : user.id,
    localAccountId: user.id,
    environment,
    tenantId: user.tenantId,
    username: user.username,
    name: user.name,
    idTokenClaims: {
      name: user.name,
      preferred_username: user.username,
      email: user.email,
      tid: user.tenantId,
      roles: [...user.roles],
    },
  };
}
