import { type PublicConfig, publicConfigSchema, routes } from '@gatehouse/contracts';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { useQuery } from '../../../lib/use-query';

/** `GET /api/config`: the part of the operator's configuration the browser may see. */
export function getConfig(api: ApiClient, options?: RequestOptions): Promise<PublicConfig> {
  return api.get(routes.config, publicConfigSchema, options);
}

export function useConfig() {
  const api = useApiClient();
  return useQuery((signal) => getConfig(api, { signal }), [api]);
}
