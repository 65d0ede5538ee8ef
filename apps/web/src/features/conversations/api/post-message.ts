import { sharingRoutes } from '@gatehouse/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `POST /api/conversations/:id/messages {text}` → 201 (editors and owners). */
export function postMessage(api: ApiClient, conversationId: string, text: string): Promise<void> {
  return api.post(routePath(sharingRoutes.messages, { id: conversationId }), { text }, null);
}

/** Posts, then reads the conversation again: the BFF's copy (author, time, order) is the one shown. */
export function usePostMessage(conversationId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => postMessage(api, conversationId, text),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) }),
        // The lists are ordered by last activity.
        queryClient.invalidateQueries({ queryKey: queryKeys.conversations(), refetchType: 'none' }),
      ]),
  });
}
