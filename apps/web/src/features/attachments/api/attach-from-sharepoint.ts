import {
  type AttachmentJobCreated,
  attachmentJobCreatedSchema,
  attachmentRoutes,
  type DriveItemRef,
} from '@gatehouse/contracts';
import type { ApiClient } from '../../../lib/api-client';
import { routePath } from '../../../lib/route-path';

/** `POST /api/conversations/:id/attachments/sharepoint {items}` → 202 `{ jobId }` (editors and owners). */
export function attachFromSharepoint(
  api: ApiClient,
  conversationId: string,
  items: DriveItemRef[],
): Promise<AttachmentJobCreated> {
  return api.post(
    routePath(attachmentRoutes.attachFromSharepoint, { id: conversationId }),
    { items: items.map(({ driveId, itemId }) => ({ driveId, itemId })) },
    attachmentJobCreatedSchema,
  );
}
