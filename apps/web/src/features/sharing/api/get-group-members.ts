import {
  type GroupMembers,
  groupMembersSchema,
  type PrincipalSource,
  sharingRoutes,
} from '@gatehouse/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `GET /api/groups/:source/:id/members?cursor=`: one page of a group's members (and owners, when they count). */
export function getGroupMembers(
  api: ApiClient,
  group: { source: PrincipalSource; id: string },
  cursor: string | undefined,
  options?: RequestOptions,
): Promise<GroupMembers> {
  const path = routePath(sharingRoutes.groupMembers, { source: group.source, id: group.id });
  const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
  return api.get(`${path}${query}`, groupMembersSchema, options);
}

export function useGroupMembers(group: { source: PrincipalSource; id: string }) {
  const api = useApiClient();
  return useInfiniteQuery({
    queryKey: queryKeys.groupMembers(group.source, group.id),
    queryFn: ({ pageParam, signal }) => getGroupMembers(api, group, pageParam, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
    staleTime: 60_000,
  });
}
