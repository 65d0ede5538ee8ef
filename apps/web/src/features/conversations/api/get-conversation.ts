import { type Conversation, conversationSchema, sharingRoutes } from '@gatehouse/contracts';
import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** Messages a page: the latest 100 first, earlier ones on demand. */
export const MESSAGES_PER_PAGE = 100;

/**
 * `GET /api/conversations/:id?limit=&before=`: title, the caller's role and its latest messages, or those
 * before `before` (the previous answer's `earlierCursor`); 404 when not theirs to see.
 */
export function getConversation(
  api: ApiClient,
  id: string,
  before: string | undefined,
  options?: RequestOptions,
): Promise<Conversation> {
  const query = new URLSearchParams({ limit: String(MESSAGES_PER_PAGE), ...(before ? { before } : {}) });
  return api.get(`${routePath(sharingRoutes.conversation, { id })}?${query}`, conversationSchema, options);
}

/**
 * The conversation, page by page from its latest messages back: `fetchNextPage()` fetches earlier
 * ones while `hasNextPage`. `data` joins the pages: the latest page's title and role, every message
 * loaded oldest first.
 */
export function useConversation(id: string) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: queryKeys.conversation(id),
    queryFn: ({ signal, pageParam }) => getConversation(api, id, pageParam, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.earlierCursor ?? undefined,
    select: joinPages,
  });
}

/** The pages as one conversation: the latest page's title and role, every message oldest first. */
function joinPages(data: InfiniteData<Conversation, string | undefined>): Conversation {
  const latest = data.pages[0]!;
  return {
    ...latest,
    messages: [...data.pages].reverse().flatMap((page) => page.messages),
    earlierCursor: data.pages.at(-1)!.earlierCursor,
  };
}
