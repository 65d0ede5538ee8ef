import { type PublicConfig, publicConfigSchema, routes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /api/config`: the part of the operator's configuration the browser may see. */
export function getConfig(api: ApiClient, options?: RequestOptions): Promise<PublicConfig> {
  return api.get(routes.config, publicConfigSchema, options);
}

/**
 * The public config, read once per page load (it changes only when the operator restarts the BFF).
 * Not retried by itself: the login page says at once that the server did not answer and offers "Try again".
 */
export function useConfig() {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.config(),
    queryFn: ({ signal }) => getConfig(api, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
