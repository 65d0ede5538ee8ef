import { MsalProvider } from '@azure/msal-react';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import type { BffClientApplication } from './bff-client-application';
import { watchSession } from './session-revalidation';

const BffClientContext = createContext<BffClientApplication | null>(null);

/** msal-react's `MsalProvider` around Gatehouse's BFF-backed client, plus the session watch. */
export function AuthProvider({ client, children }: { client: BffClientApplication; children: ReactNode }) {
  useEffect(() => watchSession(client), [client]);
  return (
    <BffClientContext.Provider value={client}>
      <MsalProvider instance={client}>{children}</MsalProvider>
    </BffClientContext.Provider>
  );
}

/** The BFF-backed client itself, for what msal's interface cannot say (session expiry, status). */
export function useBffClient(): BffClientApplication {
  const client = useContext(BffClientContext);
  if (!client) throw new Error('useBffClient must be used inside <AuthProvider>');
  return client;
}
