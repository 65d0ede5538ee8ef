import {
  type ConversationFilter,
  type ConversationList,
  conversationListSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';

/** A page of the list: a screen or two, so a long list costs one small request to show. */
export const CONVERSATIONS_PER_PAGE = 50;

/**
 * `GET /api/conversations?filter=mine|shared&limit=&cursor=`: one page (newest first) of the user's own
 * conversations, or of those shared with them; `cursor` is the previous page's `nextCursor`.
 */
export function getConversations(
  api: ApiClient,
  filter: ConversationFilter,
  cursor: string | undefined,
  options?: RequestOptions,
): Promise<ConversationList> {
  const query = new URLSearchParams({
    filter,
    limit: String(CONVERSATIONS_PER_PAGE),
    ...(cursor ? { cursor } : {}),
  });
  return api.get(`${sharingRoutes.conversations}?${query}`, conversationListSchema, options);
}

/** The list page by page: `fetchNextPage()` while `hasNextPage`; an invalidation refetches every page. */
export function useConversations(filter: ConversationFilter) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: queryKeys.conversationList(filter),
    queryFn: ({ signal, pageParam }) => getConversations(api, filter, pageParam, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
