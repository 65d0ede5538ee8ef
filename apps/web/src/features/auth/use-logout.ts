import { useState } from 'react';
import { useBffClient } from './auth-provider';

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
