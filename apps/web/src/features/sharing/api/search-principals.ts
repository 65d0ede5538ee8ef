import { useIsAuthenticated } from '@azure/msal-react';
import {
  principalSearchLimits,
  type SearchResponse,
  type SearchResult,
  searchResponseSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ApiClient, ApiError, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** `local`: Gatehouse's own users and groups only (`sources=local`, no Graph call); `all`: both, merged. */
export type SearchScope = 'local' | 'all';

/** `GET /api/principals/search`: local users, Entra users and groups, merged and ranked by the BFF. */
export function searchPrincipals(
  api: ApiClient,
  q: string,
  scope: SearchScope,
  options?: RequestOptions,
): Promise<SearchResponse> {
  const query = new URLSearchParams({
    q,
    types: 'user,group',
    limit: String(principalSearchLimits.defaultLimit),
  });
  if (scope === 'local') query.set('sources', 'local');
  return api.get(`${sharingRoutes.search}?${query}`, searchResponseSchema, options);
}

/**
 * Where a search stands:
 * - `idle`: nothing to search (too short, signed out, turned off);
 * - `loading`: nothing for this query yet; `results` are the previous query's, to show dimmed;
 * - `local`: this query's local matches, the directory's answer still to come;
 * - `done`: the merged answer (`partial` when part of the directory could not be searched);
 * - `error`: the full search failed; `results` are the local matches if they came.
 */
export type PrincipalSearchState =
  | { phase: 'idle' | 'loading' | 'local'; results: SearchResult[] }
  | { phase: 'done'; results: SearchResult[]; partial: boolean; reasons: string[] }
  | { phase: 'error'; results: SearchResult[]; error: ApiError };

/**
 * Search as the user types (the caller debounces): two requests in parallel per query, the local
 * one (answered from the database, fast) and the full one (local + Graph), so local matches show
 * without waiting for the directory. The full answer replaces the local one, and a local answer that
 * comes after it is ignored. Each query and scope is its own cache entry, and TanStack Query aborts
 * the requests of a query nobody watches any more, so a stale pair never finishes behind the one on
 * screen. Never runs without a session, under 2 characters, or when `enabled` is false.
 */
export function usePrincipalSearch(q: string, enabled: boolean): PrincipalSearchState {
  const api = useApiClient();
  const isAuthenticated = useIsAuthenticated();
  const query = q.trim();
  const on = enabled && isAuthenticated && query.length >= principalSearchLimits.minQuery;
  const options = (scope: SearchScope) =>
    ({
      queryKey: queryKeys.principalSearch(scope, query),
      queryFn: ({ signal }: { signal: AbortSignal }) => searchPrincipals(api, query, scope, { signal }),
      enabled: on,
      // The previous answer stays on screen (dimmed) while the next one loads, instead of a flash of nothing.
      placeholderData: keepPreviousData,
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: false,
    }) as const;
  const local = useQuery(options('local'));
  const full = useQuery(options('all'));

  if (!on) return { phase: 'idle', results: [] };
  const localNow = local.isSuccess && !local.isPlaceholderData ? local.data : undefined;
  if (full.isError) return { phase: 'error', results: localNow?.results ?? [], error: full.error };
  if (full.isSuccess && !full.isPlaceholderData) {
    return {
      phase: 'done',
      results: full.data.results,
      partial: full.data.partial,
      reasons: full.data.reasons ?? [],
    };
  }
  if (localNow) return { phase: 'local', results: localNow.results };
  return { phase: 'loading', results: full.data?.results ?? local.data?.results ?? [] };
}
