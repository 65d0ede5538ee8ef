import { type Conversation, conversationSchema, sharingRoutes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `GET /api/conversations/:id`: title, the caller's role and the messages (404 when not theirs to see). */
export function getConversation(api: ApiClient, id: string, options?: RequestOptions): Promise<Conversation> {
  return api.get(routePath(sharingRoutes.conversation, { id }), conversationSchema, options);
}

export function useConversation(id: string) {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.conversation(id),
    queryFn: ({ signal }) => getConversation(api, id, { signal }),
  });
}
