import { attachmentRoutes, type DriveItemRef } from '@gatehouse/contracts';
import { routePath } from '../../../lib/route-path';

/**
 * Where the browser downloads a picked SharePoint file without attaching it: a plain link to the
 * BFF, which asks Graph for the file by these ids and streams it through (no token and no SharePoint
 * URL ever reach the page).
 */
export function sharepointContentHref(ref: DriveItemRef): string {
  return routePath(attachmentRoutes.driveItemContent, { driveId: ref.driveId, itemId: ref.itemId });
}
