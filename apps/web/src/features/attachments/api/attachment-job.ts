import { type AttachmentJob, attachmentJobSchema, attachmentRoutes } from '@gatehouse/contracts';
import type { ApiClient, RequestOptions } from '../../../lib/api-client';
import { routePath } from '../../../lib/route-path';

/** `GET /api/attachment-jobs/:jobId`: the job's state and every file's bytes. */
export function getAttachmentJob(
  api: ApiClient,
  jobId: string,
  options?: RequestOptions,
): Promise<AttachmentJob> {
  return api.get(routePath(attachmentRoutes.job, { jobId }), attachmentJobSchema, options);
}

/** `DELETE /api/attachment-jobs/:jobId`: stops the job's downloads (finished files stay attached). */
export function cancelAttachmentJob(api: ApiClient, jobId: string): Promise<void> {
  return api.delete(routePath(attachmentRoutes.job, { jobId }));
}

/** Where the job's server-sent events come from (same origin; EventSource sends the session cookie). */
export function attachmentJobEventsUrl(jobId: string): string {
  return routePath(attachmentRoutes.jobEvents, { jobId });
}
