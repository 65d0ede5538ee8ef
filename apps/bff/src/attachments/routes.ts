import type { Config } from '@gatehouse/config';
import {
  type AttachmentList,
  attachFromSharepointRequestSchema,
  attachmentRoutes,
  driveIdPattern,
} from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Logger } from 'pino';
import type { SignedInEnv } from '../app-env';
import { requireRole } from '../conversations/conversation-service';
import type { DatabaseHandle } from '../db/connect';
import { contentLocation, readDriveItem } from '../graph/drive-items';
import type { GraphClient } from '../graph/graph-client';
import type { DownloadResponse, OpenDownload } from '../http/download-stream';
import { AppError } from '../http/errors';
import { streamToClient } from '../http/node-response';
import type { SessionVariables } from '../session/session-middleware';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import { parseJsonBody } from '../sharing/request-parsing';
import { viewerFrom } from '../sharing/viewer';
import type { UserLookup } from '../users/user-lookup';
import { type AttachmentJobs, refusedType } from './attachment-jobs';
import type { AttachmentStore } from './attachment-store';
import { attachmentDisposition, byteRange } from './content-disposition';
import { createDownloadHostCheck } from './download-hosts';
import { createPickerTokenHandler } from './picker-token';
import { passThroughRange } from './range-pass-through';

export interface AttachmentRoutesDeps {
  config: Config;
  database: DatabaseHandle;
  graph: GraphClient;
  tokens: TokenManager;
  users: UserLookup;
  log: Logger;
  /** Opens download URLs (the proxy). */
  download: OpenDownload;
  attachmentStore: AttachmentStore;
  attachmentJobs: AttachmentJobs;
  graphFilesResource: ResourceSpec;
  signedIn: MiddlewareHandler<{ Variables: SessionVariables }>;
  /** How often the events stream may send (default 100 ms). */
  eventsThrottleMs?: number;
}

const featureDisabled = () =>
  new AppError(
    'feature_disabled',
    'The SharePoint file picker is turned off (ENABLE_SHAREPOINT_FILEPICKER).',
  );
const attachmentNotFound = () => new AppError('not_found', 'No such attachment.');
const SAFE_FETCH_SITES = new Set(['same-origin', 'none']);

/** Headers every served file carries: never rendered inline, never sniffed, never cached by others. */
function fileHeaders(name: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Disposition': attachmentDisposition(name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Accept-Ranges': 'bytes',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
}

/**
 * The SharePoint picker's token, attachments from SharePoint, their jobs and their bytes (contracts
 * in `@gatehouse/contracts` `attachments.ts`).
 */
export function createAttachmentRoutes(deps: AttachmentRoutesDeps) {
  const { config, signedIn, attachmentJobs: jobs, attachmentStore: store } = deps;
  const db = deps.database.db;
  const throttleMs = deps.eventsThrottleMs ?? 100;
  const allowedDownload = createDownloadHostCheck(config);
  const r = new Hono<SignedInEnv>();
  const pickerOn: MiddlewareHandler = async (_c, next) => {
    if (!config.ENABLE_SHAREPOINT_FILEPICKER) throw featureDisabled();
    await next();
  };

  r.post(attachmentRoutes.sharepointToken, pickerOn, signedIn, createPickerTokenHandler(deps));

  r.post(attachmentRoutes.attachFromSharepoint, pickerOn, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const conversationId = c.req.param('id');
    await requireRole(db, viewer, conversationId, 'editor', 'attach files');
    const { items } = await parseJsonBody(c, attachFromSharepointRequestSchema);
    // No Graph token (sign-in expired, provider backing off): the same answer as every route, now,
    // rather than a 202 whose files all fail.
    const token = await deps.tokens.resourceToken(c.var.session, deps.graphFilesResource);
    if (token.kind !== 'token') throw tokenFailure(token);
    const jobId = await jobs.start({ session: token.session, ownerId: viewer.userId, conversationId, items });
    return c.json({ jobId }, 202, { 'Cache-Control': 'no-store' });
  });

  r.get(attachmentRoutes.conversationAttachments, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const conversationId = c.req.param('id');
    await requireRole(db, viewer, conversationId, 'viewer', 'see attachments');
    const rows = await db
      .selectFrom('attachments')
      .select(['id', 'name', 'size', 'content_type', 'sha256', 'created_at'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('name')
      .orderBy('id')
      .execute();
    const body: AttachmentList = {
      attachments: rows.map((row) => ({
        id: row.id,
        name: row.name,
        size: Number(row.size),
        contentType: row.content_type,
        sha256: row.sha256,
        createdAt: new Date(Number(row.created_at)).toISOString(),
      })),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  });

  r.get(attachmentRoutes.job, signedIn, async (c) => {
    const job = await jobs.get(c.req.param('jobId'), c.var.session.userId);
    return c.json(job, 200, { 'Cache-Control': 'no-store' });
  });

  r.delete(attachmentRoutes.job, signedIn, async (c) => {
    await jobs.cancel(c.req.param('jobId'), c.var.session.userId);
    return c.body(null, 204);
  });

  // EventSource sends no X-CSRF header, so app.ts lets this GET through without it; a cross-site
  // request is still refused here (read-only, owner-only, and the cookie is SameSite anyway).
  r.get(attachmentRoutes.jobEvents, signedIn, async (c) => {
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && !SAFE_FETCH_SITES.has(site)) {
      throw new AppError('csrf', 'The job events are for this site only.', { reason: 'cross_site' });
    }
    const jobId = c.req.param('jobId');
    const ownerId = c.var.session.userId;
    let job = await jobs.get(jobId, ownerId); // 404 before the stream starts
    return streamSSE(c, async (stream) => {
      let aborted = false;
      let wake: (() => void) | undefined;
      const woken = () => wake?.();
      stream.onAbort(() => {
        aborted = true;
        woken();
      });
      let unsubscribe = jobs.subscribe(jobId, woken);
      let last = '';
      try {
        for (;;) {
          const data = JSON.stringify(job);
          if (data !== last) {
            await stream.writeSSE({ data });
            last = data;
          }
          if (aborted || job.state === 'done' || job.state === 'cancelled') break;
          // A change here wakes us at once; a job on another instance is polled from the database.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, unsubscribe ? 5000 : 500);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (!aborted) await stream.sleep(throttleMs);
          if (aborted) break;
          job = await jobs.get(jobId, ownerId);
          unsubscribe ??= jobs.subscribe(jobId, woken);
        }
      } finally {
        unsubscribe?.();
      }
    });
  });

  r.get(attachmentRoutes.attachmentContent, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const id = c.req.param('id');
    const row = await db
      .selectFrom('attachments')
      .select(['id', 'conversation_id', 'name', 'content_type'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw attachmentNotFound();
    await requireRole(db, viewer, row.conversation_id, 'viewer', 'read attachments').catch((err: unknown) => {
      // No access to the conversation looks like no attachment.
      throw err instanceof AppError && err.code === 'not_found' ? attachmentNotFound() : err;
    });
    const file = await store.read(row.id);
    if (!file) {
      deps.log.error({ attachmentId: row.id }, 'attachment row without its file');
      throw attachmentNotFound();
    }
    const headers = fileHeaders(row.name, row.content_type || 'application/octet-stream');
    const range = byteRange(c.req.header('range'), file.size);
    if (range === 'unsatisfiable') {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${file.size}` });
    }
    if (file.size === 0) return c.body(null, 200, { ...headers, 'Content-Length': '0' });
    const [start, end] = range ?? [0, file.size - 1];
    return streamToClient(
      c,
      range ? 206 : 200,
      {
        ...headers,
        'Content-Length': String(end - start + 1),
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
      },
      file.stream(start, end),
      (err) => deps.log.debug({ err }, 'attachment download ended early (the client went away)'),
    );
  });

  // "Open without attaching": Graph's download, streamed through, by ids only.
  r.get(attachmentRoutes.driveItemContent, pickerOn, signedIn, async (c) => {
    const ref = { driveId: c.req.param('driveId'), itemId: c.req.param('itemId') };
    for (const [name, value] of Object.entries(ref)) {
      if (value.length > 512 || !driveIdPattern.test(value)) {
        throw new AppError('invalid_request', `${name}: not a Graph drive or item id.`);
      }
    }
    const result = await deps.tokens.resourceToken(c.var.session, deps.graphFilesResource);
    if (result.kind !== 'token') throw tokenFailure(result);
    const item = await readDriveItem(deps.graph, result.accessToken, ref);
    if (item.kind !== 'file')
      throw new AppError('invalid_request', 'itemId: a folder has no content to open.');
    if (refusedType(item, config.ATTACHMENT_REFUSED_TYPES)) {
      throw new AppError(
        'invalid_request',
        'itemId: Gatehouse does not serve files of this type (ATTACHMENT_REFUSED_TYPES).',
      );
    }
    const url = await contentLocation(deps.graph, result.accessToken, ref);
    if (!allowedDownload(url, item.hosts)) {
      throw new AppError(
        'provider_unavailable',
        'Microsoft Graph sent the download to a host that is not allowed.',
        {
          cause: url.host,
        },
      );
    }
    const upstreamHeaders = passThroughRange(c.req.header('range'), c.req.header('if-range'));
    let upstream: DownloadResponse;
    try {
      upstream = await deps.download(url, { headers: upstreamHeaders, signal: c.req.raw.signal });
    } catch (cause) {
      throw new AppError('provider_unavailable', 'SharePoint could not be reached.', { cause });
    }
    if (![200, 206, 416].includes(upstream.status)) {
      await upstream.discard();
      if (upstream.status === 403) throw new AppError('forbidden', 'SharePoint refused the download.');
      if (upstream.status === 404) throw new AppError('not_found', 'The file no longer exists.');
      throw new AppError('provider_unavailable', 'SharePoint could not serve the file; try again.', {
        cause: { status: upstream.status },
      });
    }
    const headers: Record<string, string> = fileHeaders(
      item.name,
      item.mimeType ?? 'application/octet-stream',
    );
    // The validators too, so a client can resume with If-Range.
    for (const name of ['content-length', 'content-range', 'etag', 'last-modified']) {
      const value = upstream.header(name);
      if (value) headers[name] = value;
    }
    if (upstream.status === 416) {
      await upstream.discard();
      return c.body(null, 416, headers);
    }
    return streamToClient(c, upstream.status, headers, upstream.body, (err) =>
      deps.log.debug({ err }, 'SharePoint download ended early (client or SharePoint went away)'),
    );
  });

  return r;
}
