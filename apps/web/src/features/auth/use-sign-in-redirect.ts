import type { RedirectRequest } from '@azure/msal-browser';
import { useMsal } from '@azure/msal-react';
import { useState } from 'react';

/**
 * Starts a sign-in (a full-page navigation to the BFF) and tracks it for the button that started it:
 * `isRedirecting` while the page is leaving, `error` when it could not even start.
 */
export function useSignInRedirect() {
  const { instance } = useMsal();
  const [isRedirecting, setRedirecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = (request: Omit<RedirectRequest, 'scopes'>) => {
    setError(null);
    setRedirecting(true);
    instance.loginRedirect({ scopes: [], ...request }).catch((cause: unknown) => {
      setRedirecting(false);
      setError(cause instanceof Error ? cause.message : String(cause));
    });
  };
  return { start, isRedirecting, error };
}
