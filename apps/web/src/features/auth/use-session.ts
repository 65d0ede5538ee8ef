import { useSyncExternalStore } from 'react';
import { useBffClient } from './auth-provider';
import type { BffSessionSnapshot } from './session-snapshot-store';

/** The BFF session behind msal's account (expiry, roles), kept current by the client application. */
export function useSession(): BffSessionSnapshot {
  const client = useBffClient();
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}
