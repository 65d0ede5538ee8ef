import { type AttachmentList, attachmentListSchema, attachmentRoutes } from '@gatehouse/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { queryKeys } from '../../../lib/query-keys';
import { routePath } from '../../../lib/route-path';

/** `GET /api/conversations/:id/attachments` (viewers and up). */
export function getAttachments(
  api: ApiClient,
  conversationId: string,
  options?: RequestOptions,
): Promise<AttachmentList> {
  return api.get(
    routePath(attachmentRoutes.conversationAttachments, { id: conversationId }),
    attachmentListSchema,
    options,
  );
}

export function useAttachments(conversationId: string) {
  const api = useApiClient();
  return useQuery({
    queryKey: queryKeys.attachments(conversationId),
    queryFn: ({ signal }) => getAttachments(api, conversationId, { signal }),
  });
}

/** Where the browser downloads an attachment (a plain link: the BFF streams it with its filename). */
export function attachmentContentHref(attachmentId: string): string {
  return routePath(attachmentRoutes.attachmentContent, { id: attachmentId });
}
