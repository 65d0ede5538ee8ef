import { EventType, type INavigationClient } from '@azure/msal-browser';
import type { ReactNode } from 'react';
import { type AuthChannel, createAuthChannel } from '../features/auth/auth-channel';
import { AuthProvider } from '../features/auth/auth-provider';
import {
  type BffClientApplication,
  createBffClientApplication,
} from '../features/auth/bff-client-application';
import { type ApiClient, createApiClient } from '../lib/api-client';
import { ApiClientProvider } from '../lib/api-client-context';
import { createUiStore, type UiStore, UiStoreProvider } from '../stores/ui-store';

export type AppDeps = {
  api: ApiClient;
  auth: BffClientApplication;
  uiStore: UiStore;
};

export type AppDepsOverrides = {
  fetch?: typeof fetch;
  navigationClient?: INavigationClient;
  channel?: AuthChannel | null;
};

/** The SPA's composition root: one API client, one BFF-backed msal client, one UI store. */
export function createAppDeps(overrides: AppDepsOverrides = {}): AppDeps {
  const api = createApiClient(overrides.fetch ? { fetch: overrides.fetch } : {});
  const uiStore = createUiStore();
  const auth = createBffClientApplication(
    {
      api,
      channel: overrides.channel === undefined ? createAuthChannel() : overrides.channel,
      ...(overrides.navigationClient ? { navigationClient: overrides.navigationClient } : {}),
    },
    { onSessionEnded: (reason) => uiStore.getState().showSessionEnded(reason) },
  );
  // Signed in again (in another tab): the "session ended" notice is old news.
  auth.addEventCallback(() => uiStore.getState().clearSessionEnded(), [EventType.LOGIN_SUCCESS]);
  return { api, auth, uiStore };
}

export function AppProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return (
    <ApiClientProvider client={deps.api}>
      <UiStoreProvider store={deps.uiStore}>
        <AuthProvider client={deps.auth}>{children}</AuthProvider>
      </UiStoreProvider>
    </ApiClientProvider>
  );
}
