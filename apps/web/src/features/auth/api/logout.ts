import { type LogoutResponse, logoutResponseSchema, routes } from '@gatehouse/contracts';
import { useState } from 'react';
import type { ApiClient } from '../../../lib/api-client';
import { useBffClient } from '../auth-provider';

/** Ends the session at the BFF; the answer says where the browser goes next. */
export function logout(api: ApiClient): Promise<LogoutResponse> {
  return api.post(routes.logout, {}, logoutResponseSchema);
}

/** Sign out through msal's `logoutRedirect` (which posts to the BFF, then leaves the page). */
export function useLogout() {
  const client = useBffClient();
  const [error, setError] = useState<Error | null>(null);
  const [isPending, setPending] = useState(false);
  const signOut = async () => {
    setError(null);
    setPending(true);
    try {
      await client.logoutRedirect();
    } catch (cause) {
      setError(cause instanceof Error ? cause : new Error(String(cause)));
      setPending(false);
    }
  };
  return { signOut, isPending, error };
}
