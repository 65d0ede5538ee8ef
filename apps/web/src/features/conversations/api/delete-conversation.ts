import { sharingRoutes } from '@gatehouse/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `DELETE /api/conversations/:id` (owners only). */
export function deleteConversation(api: ApiClient, conversationId: string): Promise<void> {
  return api.delete(routePath(sharingRoutes.conversation, { id: conversationId }));
}

export function useDeleteConversation(conversationId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteConversation(api, conversationId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.conversation(conversationId) });
      queryClient.removeQueries({ queryKey: queryKeys.permissions(conversationId) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.conversations() });
    },
  });
}
