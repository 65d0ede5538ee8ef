import { type ConversationCreated, conversationCreatedSchema, sharingRoutes } from '@gatehouse/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** `POST /api/conversations {title}` → 201, the caller is its owner. */
export function createConversation(api: ApiClient, title: string): Promise<ConversationCreated> {
  return api.post(sharingRoutes.conversations, { title }, conversationCreatedSchema);
}

export function useCreateConversation() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) => createConversation(api, title),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversationList('mine') }),
  });
}
