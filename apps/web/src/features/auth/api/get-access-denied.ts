import { type AccessDeniedResponse, accessDeniedResponseSchema, routes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/**
 * `GET /api/auth/access-denied`: what this browser's refused sign-in lacked, as the BFF recorded
 * it. Group names come from here, never from the page's URL, which anyone can write.
 */
export function getAccessDenied(api: ApiClient, options?: RequestOptions): Promise<AccessDeniedResponse> {
  return api.get(routes.accessDenied, accessDeniedResponseSchema, options);
}

/** The refused sign-in's required groups; the page explains itself without them if the call fails. */
export function useAccessDenied() {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.accessDenied(),
    queryFn: ({ signal }) => getAccessDenied(api, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
