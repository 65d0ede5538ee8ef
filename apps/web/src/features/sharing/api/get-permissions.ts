import { type Permissions, permissionsSchema, sharingRoutes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `GET /api/conversations/:id/permissions` (owners): who has access, named by the BFF. */
export function getPermissions(
  api: ApiClient,
  conversationId: string,
  options?: RequestOptions,
): Promise<Permissions> {
  return api.get(routePath(sharingRoutes.permissions, { id: conversationId }), permissionsSchema, options);
}

export function usePermissions(conversationId: string) {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.permissions(conversationId),
    queryFn: ({ signal }) => getPermissions(api, conversationId, { signal }),
    // The dialog edits a copy of these: it must start from what the server says now, and a refetch
    // when the window regains focus would replace the owner's unsaved edits.
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
}
