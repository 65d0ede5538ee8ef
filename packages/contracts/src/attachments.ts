import { z } from 'zod';

/**
 * SharePoint picker tokens and attachments: the wire shapes of `/api/sharepoint/*`,
 * `/api/conversations/:id/attachments*`, `/api/attachment-jobs/*` and `/api/attachments/*`.
 * The BFF parses requests with these schemas and the SPA parses responses with them.
 */

// ── POST /api/sharepoint/token {resource} → { accessToken, expiresOn } ─────────────────────────────

/**
 * `resource` is an origin (`https://contoso.sharepoint.com`) as the picker's `authenticate` command
 * names it; the BFF answers only for the configured SharePoint origin or its OneDrive `-my` twin
 * (else 400 `resource_not_allowed`).
 */
export const sharepointTokenRequestSchema = z.object({
  resource: z.string().trim().min(1).max(2048),
});
export type SharepointTokenRequest = z.infer<typeof sharepointTokenRequestSchema>;

export const sharepointTokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  /** ISO 8601: when the token really expires (its remaining lifetime, not a fresh one's). */
  expiresOn: z.iso.datetime({ offset: true }),
});
export type SharepointTokenResponse = z.infer<typeof sharepointTokenResponseSchema>;

// ── POST /api/conversations/:id/attachments/sharepoint {items} → 202 { jobId } ─────────────────────

export const attachmentLimits = { minItems: 1, maxItems: 20, maxIdLength: 512 } as const;

/**
 * Graph drive and item ids (`b!…` base64url drive ids, `01…` base32 item ids, OneDrive's `ABC!123`):
 * letters, digits and `! _ - . , : = +`. No `/`, `?`, `#`, `%` or spaces, so an id can never change
 * the shape of the Graph URL it is put into.
 */
export const driveIdPattern = /^[A-Za-z0-9!_\-.,:=+]+$/;

/**
 * A picked item, by ids only. Names, URLs and `@sharePoint.endpoint` from the picker are never sent:
 * the BFF reads the item's metadata through Graph itself.
 */
export const driveItemRefSchema = z.object({
  driveId: z.string().min(1).max(attachmentLimits.maxIdLength).regex(driveIdPattern),
  itemId: z.string().min(1).max(attachmentLimits.maxIdLength).regex(driveIdPattern),
});
export type DriveItemRef = z.infer<typeof driveItemRefSchema>;

export const attachFromSharepointRequestSchema = z.object({
  items: z.array(driveItemRefSchema).min(attachmentLimits.minItems).max(attachmentLimits.maxItems),
});
export type AttachFromSharepointRequest = z.infer<typeof attachFromSharepointRequestSchema>;

export const attachmentJobCreatedSchema = z.object({ jobId: z.string().min(1) });
export type AttachmentJobCreated = z.infer<typeof attachmentJobCreatedSchema>;

// ── GET /api/attachment-jobs/:jobId (and /events, DELETE) ──────────────────────────────────────────

export const attachmentFileStates = ['queued', 'downloading', 'done', 'failed', 'cancelled'] as const;
export type AttachmentFileState = (typeof attachmentFileStates)[number];

/** `done`: every file reached `done`, `failed` or `cancelled` (a job with failed files is still `done`). */
export const attachmentJobStates = ['queued', 'running', 'done', 'cancelled'] as const;
export type AttachmentJobState = (typeof attachmentJobStates)[number];

/**
 * Why one file failed; the SPA words the reason from the code (the message is a safe detail).
 * - `too_large`: over ATTACHMENT_MAX_BYTES for a file, or the job's total would be (refused before
 *   downloading);
 * - `access_denied`: Graph answered 403 for this user;
 * - `not_found`: the item no longer exists (Graph 404);
 * - `folder`: the item is a folder;
 * - `type_refused`: the file's type is not accepted;
 * - `network`: the download failed after its retries (connection cut, 5xx, timeouts);
 * - `throttled`: Graph kept answering 429/503 past the retry budget;
 * - `internal`: anything else (the BFF logs it).
 */
export const attachmentFileErrorCodes = [
  'too_large',
  'access_denied',
  'not_found',
  'folder',
  'type_refused',
  'network',
  'throttled',
  'internal',
] as const;
export type AttachmentFileErrorCode = (typeof attachmentFileErrorCodes)[number];

export const attachmentFileErrorSchema = z.object({
  code: z.enum(attachmentFileErrorCodes),
  message: z.string(),
});
export type AttachmentFileError = z.infer<typeof attachmentFileErrorSchema>;

export const attachmentJobFileSchema = z.object({
  driveId: z.string(),
  itemId: z.string(),
  /** From Graph's metadata; until it is read, the BFF may send an empty string. */
  name: z.string(),
  bytesDone: z.number().int().nonnegative(),
  /** From Graph's metadata; 0 until it is known. */
  bytesTotal: z.number().int().nonnegative(),
  state: z.enum(attachmentFileStates),
  error: attachmentFileErrorSchema.optional(),
  /** Set once the file is `done`. */
  attachmentId: z.string().optional(),
});
export type AttachmentJobFile = z.infer<typeof attachmentJobFileSchema>;

export const attachmentJobSchema = z.object({
  state: z.enum(attachmentJobStates),
  files: z.array(attachmentJobFileSchema),
});
export type AttachmentJob = z.infer<typeof attachmentJobSchema>;

/**
 * `GET /api/attachment-jobs/:jobId/events` (text/event-stream): every message is an unnamed event
 * (`data: <AttachmentJob JSON>`, so `EventSource.onmessage` gets it) carrying the whole job state;
 * the first one at once, then on changes (progress throttled by the BFF), and the stream ends after a
 * message whose `state` is `done` or `cancelled`.
 * EventSource cannot send the `X-CSRF` header, so this GET (read-only, owner-only, same-origin
 * cookie) is the one `/api/*` route that must be served without it; the SPA falls back to polling
 * `GET /api/attachment-jobs/:jobId` when the stream fails.
 */
export const attachmentJobEventsPath = '/api/attachment-jobs/:jobId/events';

// ── GET /api/conversations/:id/attachments ──────────────────────────────────────────────────────────

export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string(),
  /** Lowercase hex. */
  sha256: z.string(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentListSchema = z.object({ attachments: z.array(attachmentSchema) });
export type AttachmentList = z.infer<typeof attachmentListSchema>;

/** Route templates (the SPA fills them in with `encodeURIComponent`). */
export const attachmentRoutes = {
  /** `POST {resource}` → `{ accessToken, expiresOn }`. */
  sharepointToken: '/api/sharepoint/token',
  /** `POST {items}` (editors) → 202 `{ jobId }`. */
  attachFromSharepoint: '/api/conversations/:id/attachments/sharepoint',
  /** `GET` (viewers) → `AttachmentList`. */
  conversationAttachments: '/api/conversations/:id/attachments',
  /** `GET` → `AttachmentJob`; `DELETE` cancels (204). Only the job's owner; others get 404. */
  job: '/api/attachment-jobs/:jobId',
  jobEvents: attachmentJobEventsPath,
  /** `GET` (viewers): the bytes, `Range` supported. */
  attachmentContent: '/api/attachments/:id/content',
  /** `GET`: the Graph download proxied for "open without attaching", `Range` passed through. */
  driveItemContent: '/api/sharepoint/drives/:driveId/items/:itemId/content',
} as const;
