/**
 * "Attach from SharePoint" jobs: each runs in the process that accepted it, one file after another.
 * First every item's metadata is read through Graph and checked (folders, types, per-file and
 * per-job size) before a byte is downloaded; then each accepted file is streamed from the download
 * URL Graph redirects to into the attachment store. State lives in the database (any instance can
 * report or cancel a job) and in memory here, where the events stream reads it without a query.
 */
import { randomUUID } from 'node:crypto';
import type { AttachmentFileError, AttachmentJob, DriveItemRef } from '@gatehouse/contracts';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { contentLocation, type DriveItem, readDriveItem } from '../graph/drive-items';
import type { GraphClient } from '../graph/graph-client';
import type { OpenDownload } from '../http/download-stream';
import { AppError } from '../http/errors';
import type { SessionRecord } from '../session/session-store';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import type { AttachmentStore } from './attachment-store';
import { createDownloadHostCheck } from './download-hosts';
import {
  FINISHED_FILE_STATES,
  finishJob,
  heartbeat,
  insertJob,
  type JobRecord,
  type RecoveryOptions,
  readJob,
  recoverJobs,
  requestCancel,
  toWire,
  writeFile,
} from './job-repository';
import { DownloadError, type RetryOptions, rangedDownload } from './ranged-download';

export interface AttachmentJobsDeps {
  config: {
    GRAPH_BASE_URL: string;
    SHAREPOINT_BASE_URL: string | undefined;
    ATTACHMENT_MAX_BYTES: number;
    ATTACHMENT_REFUSED_TYPES: readonly string[];
  };
  database: DatabaseHandle;
  store: AttachmentStore;
  graph: GraphClient;
  tokens: Pick<TokenManager, 'resourceToken'>;
  /** Graph with SHAREPOINT_PICKER_GRAPH_SCOPE. */
  filesResource: ResourceSpec;
  /** Opens the download URLs (no bearer is ever sent there). */
  download: OpenDownload;
  clock: Clock;
  log: Logger;
  retry?: RetryOptions;
  /** How often a running job writes its progress and heartbeat, and reads a cancel (default 500 ms). */
  flushMs?: number;
  /** Unfinished jobs one user may have at once, on all instances (default `MAX_RUNNING_JOBS_PER_USER`). */
  maxRunningPerUser?: number;
}

/**
 * Each job downloads with the BFF's bandwidth and holds a worker until it ends; one user starting
 * many would starve everyone else's. Three leaves room for a second and third pick while one runs.
 */
export const MAX_RUNNING_JOBS_PER_USER = 3;
/** What a refused start suggests: the time a typical job needs to move on. */
const RETRY_AFTER_SECONDS = 10;

interface LiveJob {
  record: JobRecord;
  controller: AbortController;
  listeners: Set<() => void>;
  finished: Promise<void>;
  /** Set by `abandon`: the worker stops as a dead process would, writing and removing nothing. */
  abandoned: boolean;
}

export interface AttachmentJobs {
  start(input: {
    session: SessionRecord;
    ownerId: string;
    conversationId: string;
    items: readonly DriveItemRef[];
  }): Promise<string>;
  /** The job for its owner; 404 `not_found` for anyone else and for no job. */
  get(jobId: string, ownerId: string): Promise<AttachmentJob>;
  /** Called on every change of a job running here; undefined when it does not run here. */
  subscribe(jobId: string, listener: () => void): (() => void) | undefined;
  cancel(jobId: string, ownerId: string): Promise<void>;
  /**
   * After a conversation's deletion has committed: its jobs running here are cancelled (one on
   * another instance sees its row gone at its next heartbeat) and its attachments' files deleted.
   */
  conversationDeleted(conversationId: string, attachmentIds: readonly string[]): Promise<void>;
  recover(options: Omit<RecoveryOptions, 'now'>): Promise<number>;
  /** Resolves once no job runs here (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops every worker here without a word to the database, as a crash would (tests). */
  abandon(): void;
}

const jobNotFound = () => new AppError('not_found', 'No such attachment job.');

/**
 * `.exe` or `application/x-msdownload`: refused by name extension or by Graph's MIME type. Gatehouse
 * neither attaches nor serves such a file (the download proxy asks this too).
 */
export function refusedType(item: DriveItem, refused: readonly string[]): boolean {
  const name = item.name.toLowerCase();
  return refused.some((entry) =>
    entry.startsWith('.') ? name.endsWith(entry) : item.mimeType !== undefined && item.mimeType === entry,
  );
}

function fileError(err: unknown): AttachmentFileError {
  if (err instanceof DownloadError) return { code: err.code, message: err.message };
  if (err instanceof AppError) {
    switch (err.code) {
      case 'forbidden':
        return { code: 'access_denied', message: 'You do not have access to this file in SharePoint.' };
      case 'not_found':
        return { code: 'not_found', message: 'The file no longer exists in SharePoint.' };
      case 'interaction_required':
      case 'login_required':
      case 'role_required':
        return { code: 'access_denied', message: err.message };
      case 'provider_unavailable':
        return /throttl/i.test(err.message)
          ? { code: 'throttled', message: 'Microsoft Graph kept throttling requests; try again later.' }
          : { code: 'network', message: 'Microsoft Graph could not be reached; try again.' };
      default:
        break;
    }
  }
  return { code: 'internal', message: 'Something went wrong with this file.' };
}

export function createAttachmentJobs(deps: AttachmentJobsDeps): AttachmentJobs {
  const { database, store, graph, clock, log, config } = deps;
  const db = database.db;
  const instanceId = randomUUID();
  const flushMs = deps.flushMs ?? 500;
  const maxRunning = deps.maxRunningPerUser ?? MAX_RUNNING_JOBS_PER_USER;
  const allowedDownload = createDownloadHostCheck(config);
  const live = new Map<string, LiveJob>();

  async function filesToken(session: SessionRecord): Promise<string> {
    const result = await deps.tokens.resourceToken(session, deps.filesResource);
    if (result.kind !== 'token') throw tokenFailure(result);
    return result.accessToken;
  }

  async function run(job: LiveJob, session: SessionRecord) {
    const { record, controller } = job;
    const signal = controller.signal;
    const notify = () => {
      for (const listener of job.listeners) listener();
    };
    let dirty = new Set<number>();
    const flush = async () => {
      if (job.abandoned) return;
      const positions = [...dirty];
      dirty = new Set();
      for (const position of positions) await writeFile(db, record.id, position, record.files[position]!);
      if (await heartbeat(db, record.id, clock.now(), record.state)) controller.abort(new Error('cancelled'));
    };
    let flushing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      flushing = flushing
        .then(flush)
        .catch((err: unknown) => log.warn({ err }, 'attachment job progress not saved'));
    }, flushMs);
    const change = (position: number, now = false) => {
      dirty.add(position);
      notify();
      if (now) flushing = flushing.then(flush);
      return flushing;
    };
    const fail = (position: number, error: AttachmentFileError) => {
      const file = record.files[position]!;
      file.state = signal.aborted ? 'cancelled' : 'failed';
      if (file.state === 'failed') file.error = error;
      return change(position, true);
    };

    try {
      record.state = 'running';
      notify();
      // 1. Metadata of every item, checked before anything is downloaded.
      const accepted: Array<{ position: number; item: DriveItem }> = [];
      let total = 0;
      for (const [position, file] of record.files.entries()) {
        if (signal.aborted) break;
        const ref = { driveId: file.driveId, itemId: file.itemId };
        let item: DriveItem;
        try {
          item = await readDriveItem(graph, await filesToken(session), ref, signal);
        } catch (err) {
          await fail(position, fileError(err));
          continue;
        }
        file.name = item.name;
        file.bytesTotal = item.kind === 'file' ? item.size : 0;
        const max = config.ATTACHMENT_MAX_BYTES;
        if (item.kind === 'folder') {
          await fail(position, {
            code: 'folder',
            message: 'A folder cannot be attached; pick the files in it.',
          });
        } else if (item.kind !== 'file') {
          await fail(position, { code: 'type_refused', message: 'Only files can be attached.' });
        } else if (refusedType(item, config.ATTACHMENT_REFUSED_TYPES)) {
          await fail(position, { code: 'type_refused', message: 'Files of this type cannot be attached.' });
        } else if (item.size > max) {
          await fail(position, {
            code: 'too_large',
            message: `The file is larger than the limit of ${max} bytes.`,
          });
        } else if (total + item.size > max) {
          await fail(position, {
            code: 'too_large',
            message: `Together with the files before it, this is more than the limit of ${max} bytes per request.`,
          });
        } else {
          total += item.size;
          accepted.push({ position, item });
          await change(position, true);
        }
      }

      // 2. The accepted files, one after another.
      for (const { position, item } of accepted) {
        if (signal.aborted) break;
        const file = record.files[position]!;
        const ref = { driveId: file.driveId, itemId: file.itemId };
        file.state = 'downloading';
        await change(position, true);
        const writer = await store.createWriter(file.storageId);
        try {
          await rangedDownload({
            download: deps.download,
            writer,
            expectedSize: item.size,
            maxBytes: config.ATTACHMENT_MAX_BYTES,
            signal,
            ...(deps.retry ? { retry: deps.retry } : {}),
            onProgress: (bytes) => {
              file.bytesDone = bytes;
              change(position);
            },
            locate: async () => {
              const url = await contentLocation(graph, await filesToken(session), ref, signal);
              if (!allowedDownload(url, item.hosts)) {
                log.warn({ host: url.host }, 'download URL on a host that is not allowed');
                throw new DownloadError(
                  'internal',
                  'Microsoft Graph sent the download to a host that is not allowed.',
                );
              }
              return url;
            },
          });
          const { size, sha256 } = await writer.finish();
          const now = clock.now();
          try {
            await db.transaction().execute(async (trx) => {
              await trx
                .insertInto('attachments')
                .values({
                  id: file.storageId,
                  conversation_id: record.conversationId,
                  name: item.name,
                  size,
                  content_type: item.mimeType ?? 'application/octet-stream',
                  sha256,
                  created_by: record.ownerId,
                  created_at: now,
                  source_drive_id: file.driveId,
                  source_item_id: file.itemId,
                })
                .execute();
              await trx
                .updateTable('attachment_job_files')
                .set({ state: 'done', bytes_done: size, bytes_total: size })
                .where('job_id', '=', record.id)
                .where('position', '=', position)
                .execute();
            });
          } catch (err) {
            await store.remove(file.storageId);
            throw err;
          }
          Object.assign(file, {
            state: 'done',
            bytesDone: size,
            bytesTotal: size,
            attachmentId: file.storageId,
          });
          notify();
        } catch (err) {
          if (job.abandoned) {
            await writer.release(); // the partial stays for the next start's sweep
            return;
          }
          await writer.discard();
          if (!signal.aborted && !(err instanceof DownloadError))
            log.error({ err, jobId: record.id }, 'attachment failed');
          file.bytesDone = 0;
          await fail(position, fileError(err));
        }
      }
    } finally {
      clearInterval(timer);
      await flushing.catch(() => {});
      if (!job.abandoned) {
        for (const [position, file] of record.files.entries()) {
          if (!FINISHED_FILE_STATES.has(file.state)) {
            file.state = 'cancelled';
            dirty.add(position);
          }
        }
        record.state = signal.aborted ? 'cancelled' : 'done';
        try {
          for (const position of dirty) await writeFile(db, record.id, position, record.files[position]!);
          await finishJob(db, record.id, record.state, clock.now());
        } catch (err) {
          log.error({ err, jobId: record.id }, 'attachment job end not saved');
        }
        notify();
      }
      live.delete(record.id);
    }
  }

  return {
    async start({ session, ownerId, conversationId, items }) {
      const record = await insertJob(db, {
        id: randomUUID(),
        conversationId,
        ownerId,
        instanceId,
        now: clock.now(),
        items,
        maxUnfinishedPerOwner: maxRunning,
        dialect: database.dialect,
      });
      if (!record) {
        throw new AppError(
          'rate_limited',
          `You already have ${maxRunning} attachment jobs running. Wait for one to finish, or cancel one, then try again.`,
          { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
        );
      }
      const job: LiveJob = {
        record,
        controller: new AbortController(),
        listeners: new Set(),
        finished: Promise.resolve(),
        abandoned: false,
      };
      live.set(record.id, job);
      job.finished = run(job, session).catch((err: unknown) =>
        log.error({ err, jobId: record.id }, 'attachment job crashed'),
      );
      return record.id;
    },

    async get(jobId, ownerId) {
      const here = live.get(jobId)?.record;
      const record = here ?? (await readJob(db, jobId));
      if (!record || record.ownerId !== ownerId) throw jobNotFound();
      return toWire(record);
    },

    subscribe(jobId, listener) {
      const job = live.get(jobId);
      if (!job) return undefined;
      job.listeners.add(listener);
      return () => job.listeners.delete(listener);
    },

    async cancel(jobId, ownerId) {
      const record = live.get(jobId)?.record ?? (await readJob(db, jobId));
      if (!record || record.ownerId !== ownerId) throw jobNotFound();
      await requestCancel(db, jobId);
      live.get(jobId)?.controller.abort(new Error('cancelled'));
      await live.get(jobId)?.finished;
    },

    async conversationDeleted(conversationId, attachmentIds) {
      const running = [...live.values()].filter((job) => job.record.conversationId === conversationId);
      for (const job of running) job.controller.abort(new Error('conversation deleted'));
      await Promise.all(running.map((job) => job.finished));
      for (const id of attachmentIds) await store.remove(id);
    },

    recover(options) {
      return recoverJobs(db, store, { ...options, now: clock.now() });
    },

    async idle() {
      while (live.size > 0) await Promise.all([...live.values()].map((job) => job.finished));
    },

    abandon() {
      for (const job of live.values()) {
        job.abandoned = true;
        job.listeners.clear();
        job.controller.abort(new Error('abandoned'));
      }
    },
  };
}
