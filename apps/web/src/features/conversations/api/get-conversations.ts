import {
  type ConversationFilter,
  type ConversationList,
  conversationListSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /api/conversations?filter=mine|shared`: the user's own conversations, or those shared with them. */
export function getConversations(
  api: ApiClient,
  filter: ConversationFilter,
  options?: RequestOptions,
): Promise<ConversationList> {
  const query = new URLSearchParams({ filter });
  return api.get(`${sharingRoutes.conversations}?${query}`, conversationListSchema, options);
}

export function useConversations(filter: ConversationFilter) {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.conversationList(filter),
    queryFn: ({ signal }) => getConversations(api, filter, { signal }),
  });
}
