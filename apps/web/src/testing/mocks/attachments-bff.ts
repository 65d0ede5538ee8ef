import type { Attachment, AttachmentFileError, AttachmentJob, DriveItemRef } from '@gatehouse/contracts';

/** A file the mocked Graph knows: what the BFF would read from its metadata, and how its download ends. */
export type MockDriveFile = {
  name: string;
  size: number;
  contentType: string;
  /** The download fails with this (after `failAfterSteps` progress steps); it succeeds when absent. */
  failure?: AttachmentFileError;
  failAfterSteps?: number;
};

export type MockJob = {
  id: string;
  ownerId: string;
  conversationId: string;
  job: AttachmentJob;
  /** Progress steps taken per file (one per `GET` of the job). */
  steps: number[];
};

/**
 * The mocked BFF's SharePoint state, reset after every test: files by `${driveId}/${itemId}`, jobs
 * (which advance one step per `GET`, half a file per step), attachments per conversation, and what
 * the SPA sent.
 */
export type MockAttachmentsBff = {
  files: Record<string, MockDriveFile>;
  jobs: MockJob[];
  attachments: Record<string, Attachment[]>;
  /** Every `resource` the SPA asked a token for. */
  tokenRequests: string[];
  /** How long a minted picker token lives (ms). */
  tokenLifetimeMs: number;
  /** Every `items` list the SPA posted. */
  attachRequests: DriveItemRef[][];
  cancelled: string[];
  nextAttachmentId: number;
  /** When set, `GET /api/conversations/:id/attachments` answers this status. */
  listFailure: number | null;
  nextId: number;
};

function initial(): MockAttachmentsBff {
  return {
    files: {},
    jobs: [],
    attachments: {},
    tokenRequests: [],
    tokenLifetimeMs: 60 * 60_000,
    attachRequests: [],
    cancelled: [],
    nextAttachmentId: 1,
    listFailure: null,
    nextId: 1,
  };
}

export const attachmentsBff: MockAttachmentsBff = initial();

export function resetAttachmentsBff() {
  Object.assign(attachmentsBff, initial());
}

export const fileKey = (ref: DriveItemRef) => `${ref.driveId}/${ref.itemId}`;

/** Puts a file in the mocked drive and returns its ref. */
export function seedDriveFile(ref: DriveItemRef, file: MockDriveFile): DriveItemRef {
  attachmentsBff.files[fileKey(ref)] = file;
  return ref;
}

/** One step of every unfinished file: queued → downloading → half → done (or its failure). */
export function advanceJob(mock: MockJob) {
  const { job } = mock;
  if (job.state === 'cancelled' || job.state === 'done') return;
  job.state = 'running';
  job.files.forEach((file, index) => {
    if (file.state === 'done' || file.state === 'failed' || file.state === 'cancelled') return;
    const steps = (mock.steps[index] ?? 0) + 1;
    mock.steps[index] = steps;
    const source = attachmentsBff.files[fileKey(file)];
    if (!source) {
      file.state = 'failed';
      file.error = { code: 'not_found', message: 'This file no longer exists.' };
      return;
    }
    if (source.failure && steps > (source.failAfterSteps ?? 0)) {
      file.state = 'failed';
      file.error = source.failure;
      return;
    }
    file.state = 'downloading';
    file.bytesDone = Math.min(file.bytesTotal, file.bytesDone + Math.ceil(file.bytesTotal / 2));
    if (file.bytesDone === file.bytesTotal && steps > 2) {
      const attachment: Attachment = {
        id: `a-${attachmentsBff.nextAttachmentId++}`,
        name: source.name,
        size: source.size,
        contentType: source.contentType,
        sha256: '0'.repeat(64),
        createdAt: '2026-12-03T10:00:00.000Z',
      };
      const list = attachmentsBff.attachments[mock.conversationId] ?? [];
      list.push(attachment);
      attachmentsBff.attachments[mock.conversationId] = list;
      file.state = 'done';
      file.attachmentId = attachment.id;
    }
  });
  if (job.files.every((file) => ['done', 'failed', 'cancelled'].includes(file.state))) job.state = 'done';
}
