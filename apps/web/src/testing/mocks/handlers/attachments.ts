import {
  attachFromSharepointRequestSchema,
  attachmentJobCreatedSchema,
  attachmentJobSchema,
  attachmentListSchema,
  attachmentRoutes,
  sharepointTokenRequestSchema,
  sharepointTokenResponseSchema,
} from '@gatehouse/contracts';
import { allowedResource } from '@gatehouse/picker-protocol';
import { HttpResponse, http } from 'msw';
import { advanceJob, attachmentsBff, fileKey, type MockJob } from '../attachments-bff';
import { apiError, bff, checkRequest, loginRequired } from '../bff';
import { access } from './conversations';

const pattern = (template: string) => `*${template}`;

/** The job, if the signed-in user owns it (others get the BFF's 404). */
function ownJob(request: Request, jobId: unknown): MockJob | Response {
  const refused = checkRequest(request);
  if (refused) return refused;
  const user = bff.session?.user;
  if (!user) return loginRequired();
  const mock = attachmentsBff.jobs.find((candidate) => candidate.id === jobId);
  if (!mock || mock.ownerId !== user.id) return apiError(404, { error: 'not_found', message: 'No such job' });
  return mock;
}

export const attachmentHandlers = [
  http.post(pattern(attachmentRoutes.sharepointToken), async ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    const { enabled, baseUrl } = bff.config.sharepointPicker;
    if (!enabled || !baseUrl)
      return apiError(404, { error: 'feature_disabled', message: 'The picker is off' });
    const body = sharepointTokenRequestSchema.safeParse(await request.json().catch(() => null));
    if (!body.success) return apiError(400, { error: 'invalid_request', message: 'resource: required' });
    attachmentsBff.tokenRequests.push(body.data.resource);
    if (!allowedResource(body.data.resource, baseUrl)) {
      return apiError(400, { error: 'resource_not_allowed', message: 'Not the SharePoint site' });
    }
    return HttpResponse.json(
      sharepointTokenResponseSchema.parse({
        accessToken: `sp-token-${attachmentsBff.tokenRequests.length}`,
        expiresOn: new Date(Date.now() + attachmentsBff.tokenLifetimeMs).toISOString(),
      }),
    );
  }),

  http.post(pattern(attachmentRoutes.attachFromSharepoint), async ({ request, params }) => {
    const checked = access(request, params, 'editor');
    if (checked.kind === 'refused') return checked.response;
    const body = attachFromSharepointRequestSchema.safeParse(await request.json().catch(() => null));
    if (!body.success) return apiError(400, { error: 'invalid_request', message: 'items: 1–20 drive items' });
    attachmentsBff.attachRequests.push(body.data.items);
    const id = `job-${attachmentsBff.nextId++}`;
    attachmentsBff.jobs.push({
      id,
      ownerId: checked.userId,
      conversationId: checked.conversation.id,
      steps: [],
      job: {
        state: 'queued',
        files: body.data.items.map((ref) => {
          const file = attachmentsBff.files[fileKey(ref)];
          return {
            ...ref,
            name: file?.name ?? '',
            bytesDone: 0,
            bytesTotal: file?.size ?? 0,
            state: 'queued',
          };
        }),
      },
    });
    return HttpResponse.json(attachmentJobCreatedSchema.parse({ jobId: id }), { status: 202 });
  }),

  http.get(pattern(attachmentRoutes.job), ({ request, params }) => {
    const mock = ownJob(request, params.jobId);
    if (mock instanceof Response) return mock;
    advanceJob(mock);
    return HttpResponse.json(attachmentJobSchema.parse(mock.job));
  }),

  http.delete(pattern(attachmentRoutes.job), ({ request, params }) => {
    const mock = ownJob(request, params.jobId);
    if (mock instanceof Response) return mock;
    attachmentsBff.cancelled.push(mock.id);
    if (mock.job.state !== 'done') {
      mock.job.state = 'cancelled';
      for (const file of mock.job.files) {
        if (file.state === 'queued' || file.state === 'downloading') file.state = 'cancelled';
      }
    }
    return new HttpResponse(null, { status: 204 });
  }),

  http.get(pattern(attachmentRoutes.conversationAttachments), ({ request, params }) => {
    const checked = access(request, params, 'viewer');
    if (checked.kind === 'refused') return checked.response;
    if (attachmentsBff.listFailure) {
      return apiError(attachmentsBff.listFailure, {
        error: 'internal',
        message: 'The attachment store is down',
      });
    }
    return HttpResponse.json(
      attachmentListSchema.parse({ attachments: attachmentsBff.attachments[checked.conversation.id] ?? [] }),
    );
  }),
];
