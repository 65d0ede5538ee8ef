import { useIsAuthenticated } from '@azure/msal-react';
import {
  principalSearchLimits,
  type SearchResponse,
  searchResponseSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /api/principals/search`: local users, Entra users and groups, merged and ranked by the BFF. */
export function searchPrincipals(
  api: ApiClient,
  q: string,
  options?: RequestOptions,
): Promise<SearchResponse> {
  const query = new URLSearchParams({
    q,
    types: 'user,group',
    limit: String(principalSearchLimits.defaultLimit),
  });
  return api.get(`${sharingRoutes.search}?${query}`, searchResponseSchema, options);
}

/**
 * Search as the user types (the caller debounces). Each query is its own cache entry, and TanStack
 * Query aborts the request of a query nobody watches any more, so a stale search never finishes
 * behind the one on screen. Never runs without a session, under 2 characters, or when `enabled` is
 * false (the operator turned people search off).
 */
export function usePrincipalSearch(q: string, enabled: boolean) {
  const api = useApiClient();
  const isAuthenticated = useIsAuthenticated();
  const query = q.trim();
  return useQuery({
    queryKey: queryKeys.principalSearch(query),
    queryFn: ({ signal }) => searchPrincipals(api, query, { signal }),
    enabled: enabled && isAuthenticated && query.length >= principalSearchLimits.minQuery,
    // The previous answer stays on screen (dimmed) while the next one loads, instead of a flash of nothing.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    retry: false,
  });
}
