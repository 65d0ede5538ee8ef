import type { AttachmentFileErrorCode, AttachmentFileState, AttachmentJobState } from '@gatehouse/contracts';
import type { Selectable } from 'kysely';

/** `attachments`: a file stored under ATTACHMENTS_DIR by its id; the row exists only once the bytes do. */
export interface AttachmentsTable {
  id: string;
  conversation_id: string;
  name: string;
  size: number;
  content_type: string;
  /** Lowercase hex of the stored bytes. */
  sha256: string;
  created_by: string;
  /** Epoch ms. */
  created_at: number;
  /** Where it came from (SharePoint), for the audit trail. */
  source_drive_id: string | null;
  source_item_id: string | null;
}

/**
 * `attachment_jobs`: one "attach from SharePoint" request. In the database, not in memory, so any
 * instance can answer for it; `heartbeat_at` tells a live worker from one that died with its process.
 */
export interface AttachmentJobsTable {
  id: string;
  conversation_id: string;
  owner_id: string;
  state: AttachmentJobState;
  /** 1 once DELETE asked for it; the worker (on whichever instance) stops at its next progress write. */
  cancel_requested: number;
  /** The process running it (random per start). */
  instance_id: string;
  /** Epoch ms, renewed while the worker runs. */
  heartbeat_at: number;
  created_at: number;
  finished_at: number | null;
}

/** `attachment_job_files`: one picked item of a job, in the order picked. */
export interface AttachmentJobFilesTable {
  job_id: string;
  position: number;
  drive_id: string;
  item_id: string;
  name: string;
  bytes_done: number;
  bytes_total: number;
  state: AttachmentFileState;
  error_code: AttachmentFileErrorCode | null;
  error_message: string | null;
  /** The id its attachment gets (and its file name on disk); an `attachments` row only once `done`. */
  attachment_id: string;
}

export type AttachmentRow = Selectable<AttachmentsTable>;
export type AttachmentJobRow = Selectable<AttachmentJobsTable>;
export type AttachmentJobFileRow = Selectable<AttachmentJobFilesTable>;
