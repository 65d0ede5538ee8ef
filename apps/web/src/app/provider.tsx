import { EventType, type INavigationClient } from '@azure/msal-browser';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type AuthChannel, createAuthChannel } from '../features/auth/auth-channel';
import { AuthProvider } from '../features/auth/auth-provider';
import {
  type BffClientApplication,
  createBffClientApplication,
} from '../features/auth/bff-client-application';
import { createPickerTokenSource } from '../features/auth/picker-token-source';
import { getConfig } from '../features/config/api/get-config';
import { type ApiClient, createApiClient } from '../lib/api-client';
import { ApiClientProvider } from '../lib/api-client-context';
import { createQueryClient } from '../lib/query-client';
import { queryKeys } from '../lib/query-keys';
import { createUiStore, type UiStore, UiStoreProvider } from '../stores/ui-store';

export type AppDeps = {
  api: ApiClient;
  auth: BffClientApplication;
  uiStore: UiStore;
  queryClient: QueryClient;
};

export type AppDepsOverrides = {
  fetch?: typeof fetch;
  navigationClient?: INavigationClient;
  channel?: AuthChannel | null;
};

/** Drops everything the server told this user (not the public config) when the session changes hands. */
function forgetUserData(queryClient: QueryClient) {
  const [configKey] = queryKeys.config();
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== configKey });
}

/** The SPA's composition root: one API client, one BFF-backed msal client, one UI store, one query cache. */
export function createAppDeps(overrides: AppDepsOverrides = {}): AppDeps {
  const api = createApiClient(overrides.fetch ? { fetch: overrides.fetch } : {});
  const uiStore = createUiStore();
  const queryClient = createQueryClient();
  const pickerTokens = createPickerTokenSource({
    api,
    // The same cached `GET /api/config` the pages read: the picker's site, when the picker is on.
    sharepointBaseUrl: async () => {
      const config = await queryClient.fetchQuery({
        queryKey: queryKeys.config(),
        queryFn: ({ signal }) => getConfig(api, { signal }),
        staleTime: Number.POSITIVE_INFINITY,
      });
      const { enabled, baseUrl } = config.sharepointPicker;
      return enabled && baseUrl ? baseUrl : null;
    },
  });
  const auth = createBffClientApplication(
    {
      api,
      pickerTokens,
      channel: overrides.channel === undefined ? createAuthChannel() : overrides.channel,
      ...(overrides.navigationClient ? { navigationClient: overrides.navigationClient } : {}),
    },
    {
      onSessionEnded: (reason) => {
        forgetUserData(queryClient);
        uiStore.getState().showSessionEnded(reason);
      },
    },
  );
  // Signed in again (in another tab): the "session ended" notice is old news.
  auth.addEventCallback(() => uiStore.getState().clearSessionEnded(), [EventType.LOGIN_SUCCESS]);
  // Another user may be signing in next: nothing of this one's conversations stays in memory.
  auth.addEventCallback(
    () => forgetUserData(queryClient),
    [EventType.LOGIN_SUCCESS, EventType.LOGOUT_SUCCESS],
  );
  return { api, auth, uiStore, queryClient };
}

export function AppProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return (
    <ApiClientProvider client={deps.api}>
      <QueryClientProvider client={deps.queryClient}>
        <UiStoreProvider store={deps.uiStore}>
          <AuthProvider client={deps.auth}>{children}</AuthProvider>
        </UiStoreProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  );
}
