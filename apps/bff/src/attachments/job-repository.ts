/**
 * Attachment jobs in the database: created with their files, progress written by the worker,
 * read by whichever instance is asked, and recovered when the process running one died.
 */
import { randomUUID } from 'node:crypto';
import type {
  AttachmentFileError,
  AttachmentJob,
  AttachmentJobFile,
  AttachmentJobState,
  DriveItemRef,
} from '@gatehouse/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database';
import type { AttachmentJobFileRow, AttachmentJobFilesTable } from './attachment.table';
import type { AttachmentStore } from './attachment-store';

type Db = Kysely<Database>;

export interface NewJob {
  id: string;
  conversationId: string;
  ownerId: string;
  instanceId: string;
  now: number;
  items: readonly DriveItemRef[];
  /**
   * Refuse the job (undefined is returned) when its owner already has this many unfinished jobs.
   * On PostgreSQL the count and the insert hold a per-owner advisory lock, so two requests at once
   * cannot both take the last place (SQLite runs one transaction at a time).
   */
  maxUnfinishedPerOwner: number;
  dialect: 'sqlite' | 'postgres';
}

/** A job as the worker keeps it: the wire shape plus what it needs to run. */
export interface JobRecord extends AttachmentJob {
  id: string;
  conversationId: string;
  ownerId: string;
  files: Array<AttachmentJobFile & { storageId: string }>;
}

export const FINISHED_FILE_STATES = new Set(['done', 'failed', 'cancelled']);

/** The advisory lock namespace of "a user starts a job" (any constant no other lock uses). */
const START_LOCK = 'gatehouse:attachment-job-start:';

export async function insertJob(db: Db, job: NewJob): Promise<JobRecord | undefined> {
  const files = job.items.map((item, position) => ({
    job_id: job.id,
    position,
    drive_id: item.driveId,
    item_id: item.itemId,
    name: '',
    bytes_done: 0,
    bytes_total: 0,
    state: 'queued' as const,
    error_code: null,
    error_message: null,
    attachment_id: randomUUID(),
  }));
  const accepted = await db.transaction().execute(async (trx) => {
    if (job.dialect === 'postgres') {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${START_LOCK + job.ownerId}))`.execute(trx);
    }
    const { unfinished } = await trx
      .selectFrom('attachment_jobs')
      .select((eb) => eb.fn.countAll<number | string>().as('unfinished'))
      .where('owner_id', '=', job.ownerId)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    if (Number(unfinished) >= job.maxUnfinishedPerOwner) return false;
    await trx
      .insertInto('attachment_jobs')
      .values({
        id: job.id,
        conversation_id: job.conversationId,
        owner_id: job.ownerId,
        state: 'queued',
        cancel_requested: 0,
        instance_id: job.instanceId,
        heartbeat_at: job.now,
        created_at: job.now,
        finished_at: null,
      })
      .execute();
    await trx.insertInto('attachment_job_files').values(files).execute();
    return true;
  });
  if (!accepted) return undefined;
  return {
    id: job.id,
    conversationId: job.conversationId,
    ownerId: job.ownerId,
    state: 'queued',
    files: files.map(fileFromRow),
  };
}

function fileFromRow(row: Omit<AttachmentJobFileRow, 'job_id'>): JobRecord['files'][number] {
  const error: AttachmentFileError | undefined =
    row.error_code !== null ? { code: row.error_code, message: row.error_message ?? '' } : undefined;
  return {
    driveId: row.drive_id,
    itemId: row.item_id,
    name: row.name,
    bytesDone: Number(row.bytes_done),
    bytesTotal: Number(row.bytes_total),
    state: row.state,
    ...(error ? { error } : {}),
    ...(row.state === 'done' ? { attachmentId: row.attachment_id } : {}),
    storageId: row.attachment_id,
  };
}

/** The job, or undefined when it does not exist. */
export async function readJob(db: Db, jobId: string): Promise<JobRecord | undefined> {
  const job = await db.selectFrom('attachment_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
  if (!job) return undefined;
  const files = await db
    .selectFrom('attachment_job_files')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('position')
    .execute();
  return {
    id: job.id,
    conversationId: job.conversation_id,
    ownerId: job.owner_id,
    state: job.state,
    files: files.map(fileFromRow),
  };
}

/** The wire shape (no storage ids). */
export function toWire(job: Pick<JobRecord, 'state' | 'files'>): AttachmentJob {
  return { state: job.state, files: job.files.map(({ storageId: _, ...file }) => file) };
}

export async function writeFile(
  db: Db,
  jobId: string,
  position: number,
  file: JobRecord['files'][number],
): Promise<void> {
  const values: Partial<AttachmentJobFilesTable> = {
    name: file.name,
    bytes_done: file.bytesDone,
    bytes_total: file.bytesTotal,
    state: file.state,
    error_code: file.error?.code ?? null,
    error_message: file.error?.message ?? null,
  };
  await db
    .updateTable('attachment_job_files')
    .set(values)
    .where('job_id', '=', jobId)
    .where('position', '=', position)
    .execute();
}

/** Renews the heartbeat; answers whether a cancel was asked for (from any instance). */
export async function heartbeat(
  db: Db,
  jobId: string,
  now: number,
  state: AttachmentJobState,
): Promise<boolean> {
  await db.updateTable('attachment_jobs').set({ heartbeat_at: now, state }).where('id', '=', jobId).execute();
  const row = await db
    .selectFrom('attachment_jobs')
    .select('cancel_requested')
    .where('id', '=', jobId)
    .executeTakeFirst();
  return Number(row?.cancel_requested ?? 1) === 1;
}

export async function finishJob(
  db: Db,
  jobId: string,
  state: 'done' | 'cancelled',
  now: number,
): Promise<void> {
  await db
    .updateTable('attachment_jobs')
    .set({ state, finished_at: now, heartbeat_at: now })
    .where('id', '=', jobId)
    .execute();
}

export async function requestCancel(db: Db, jobId: string): Promise<void> {
  await db.updateTable('attachment_jobs').set({ cancel_requested: 1 }).where('id', '=', jobId).execute();
}

export interface RecoveryOptions {
  now: number;
  /** A job whose worker has not written for this long is taken as dead (default 30 s). */
  staleMs?: number;
  /** Every unfinished job is dead (one process per database: SQLite, at start-up). */
  everyUnfinished?: boolean;
  /**
   * Also delete complete files that no `attachments` row references (start-up): what a crash left
   * between a conversation's deletion and the removal of its files.
   */
  unreferencedFiles?: boolean;
}

export const INTERRUPTED: AttachmentFileError = {
  code: 'internal',
  message: 'The download was interrupted by a restart of the server. Try again.',
};

/**
 * Jobs whose worker is gone (a crash, a restart, a lost instance) are finished: their unfinished
 * files failed "interrupted by a restart", complete files renamed into place without their row are
 * deleted, and temporary files nobody is writing are removed. Returns how many jobs it finished.
 */
/** Of `ids`, the attachment ids a queued or downloading file of an unfinished job will be written to. */
async function filesBeingWritten(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('attachment_job_files')
    .innerJoin('attachment_jobs', 'attachment_jobs.id', 'attachment_job_files.job_id')
    .select('attachment_job_files.attachment_id')
    .where('attachment_job_files.attachment_id', 'in', ids)
    .where('attachment_jobs.state', 'in', ['queued', 'running'])
    .where('attachment_job_files.state', 'in', ['queued', 'downloading'])
    .execute();
  return new Set(rows.map((row) => row.attachment_id));
}

export async function recoverJobs(db: Db, store: AttachmentStore, options: RecoveryOptions): Promise<number> {
  const staleBefore = options.now - (options.staleMs ?? 30_000);
  let query = db.selectFrom('attachment_jobs').select('id').where('state', 'in', ['queued', 'running']);
  if (!options.everyUnfinished) query = query.where('heartbeat_at', '<', staleBefore);
  const dead = (await query.execute()).map((row) => row.id);
  for (const jobId of dead) {
    const files = await db
      .selectFrom('attachment_job_files')
      .select(['position', 'state', 'attachment_id'])
      .where('job_id', '=', jobId)
      .execute();
    for (const file of files) {
      if (FINISHED_FILE_STATES.has(file.state)) continue;
      // Renamed into place just before the process died, without its row: not an attachment.
      const row = await db
        .selectFrom('attachments')
        .select('id')
        .where('id', '=', file.attachment_id)
        .executeTakeFirst();
      if (!row) await store.remove(file.attachment_id);
      await db
        .updateTable('attachment_job_files')
        .set({ state: 'failed', error_code: INTERRUPTED.code, error_message: INTERRUPTED.message })
        .where('job_id', '=', jobId)
        .where('position', '=', file.position)
        .execute();
    }
    await finishJob(db, jobId, 'done', options.now);
  }
  await store.removePartials(async (ids) => {
    // A temporary file is alive only while its job is unfinished and its worker alive.
    const alive = await filesBeingWritten(db, ids);
    return new Set(ids.filter((id) => !alive.has(id)));
  });
  if (options.unreferencedFiles) {
    await store.removeUnreferenced(async (ids) => {
      // Live job files first: a worker renames its file, then writes the row and marks the file
      // done in one transaction, so asked in this order a file being finished is always claimed.
      const claimed = await filesBeingWritten(db, ids);
      const rows = await db.selectFrom('attachments').select('id').where('id', 'in', ids).execute();
      for (const row of rows) claimed.add(row.id);
      return new Set(ids.filter((id) => !claimed.has(id)));
    });
  }
  return dead.length;
}
