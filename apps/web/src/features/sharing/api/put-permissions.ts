import {
  type Permissions,
  type PutPermissionsRequest,
  permissionsSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `PUT /api/conversations/:id/permissions`: replaces every grant; the BFF names each principal itself. */
export function putPermissions(
  api: ApiClient,
  conversationId: string,
  request: PutPermissionsRequest,
): Promise<Permissions> {
  return api.put(routePath(sharingRoutes.permissions, { id: conversationId }), request, permissionsSchema);
}

/**
 * Saves, keeps the BFF's answer as the new permissions, and marks every conversation query stale: the
 * caller's own role may have changed, and so may other people's lists.
 */
export function useSavePermissions(conversationId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: PutPermissionsRequest) => putPermissions(api, conversationId, request),
    onSuccess: (permissions) => {
      queryClient.setQueryData(queryKeys.permissions(conversationId), permissions);
      return queryClient.invalidateQueries({
        queryKey: queryKeys.conversations(),
        predicate: (query) => query.queryKey[1] !== 'permissions',
      });
    },
  });
}
