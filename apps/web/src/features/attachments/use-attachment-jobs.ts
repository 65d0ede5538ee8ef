import type { AttachmentJob, AttachmentJobFile, DriveItemRef } from '@gatehouse/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/api-client';
import { useApiClient } from '../../lib/api-client-context';
import { queryKeys } from '../../lib/query-keys';
import { attachFromSharepoint } from './api/attach-from-sharepoint';
import { cancelAttachmentJob, getAttachmentJob } from './api/attachment-job';
import { type EventSourceFactory, isFinished, watchAttachmentJob } from './job-watch';

/** One picked file as the page shows it: the latest job that carries it, and that job's word on it. */
export type FileRow = { key: string; jobId: string; file: AttachmentJobFile };

export type AttachmentJobsState = {
  rows: FileRow[];
  /** Bytes of the files still counted (failed and cancelled ones drop out). */
  bytesDone: number;
  bytesTotal: number;
  running: boolean;
  /** Polling failed as well: the progress shown is the last known. */
  watchError: string | null;
  /** The last thing worth announcing (all attached, failures), for the live region. */
  announcement: string;
  start(items: DriveItemRef[]): Promise<void>;
  retry(row: FileRow): Promise<void>;
  cancel(): Promise<void>;
  cancelling: boolean;
  /** Forget finished rows (after the user has seen them). */
  clear(): void;
};

const keyOf = (ref: DriveItemRef) => `${ref.driveId}/${ref.itemId}`;
const terminal = (file: AttachmentJobFile) =>
  file.state === 'done' || file.state === 'failed' || file.state === 'cancelled';

function queuedFile(ref: DriveItemRef): AttachmentJobFile {
  return { ...ref, name: '', bytesDone: 0, bytesTotal: 0, state: 'queued' };
}

function summary(rows: FileRow[]): string {
  const done = rows.filter((row) => row.file.state === 'done').length;
  const failed = rows.filter((row) => row.file.state === 'failed').length;
  const cancelled = rows.filter((row) => row.file.state === 'cancelled').length;
  const parts = [`${done} of ${rows.length} ${rows.length === 1 ? 'file' : 'files'} attached`];
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  return `${parts.join(', ')}.`;
}

/** Why a job could not be started, in words (the BFF's codes are contract). */
export function startErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The files could not be attached.';
  switch (error.code) {
    case 'forbidden':
      return 'Only editors and owners can attach files to this conversation.';
    case 'feature_disabled':
      return 'Attaching from SharePoint is turned off.';
    case 'network_error':
      return 'Gatehouse could not be reached. Check your connection and try again.';
    default:
      return error.message;
  }
}

/**
 * The attachment jobs of one conversation on this page: starting one per pick, following each (SSE or
 * polling), retrying a file as a job of its own, cancelling, and refreshing the attachment list as
 * files land.
 */
export function useAttachmentJobs(
  conversationId: string,
  options: { eventSource?: EventSourceFactory | null } = {},
): AttachmentJobsState {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const [order, setOrder] = useState<string[]>([]);
  const [rowJob, setRowJob] = useState<Record<string, string>>({});
  const [jobs, setJobs] = useState<Record<string, AttachmentJob>>({});
  const [placeholders, setPlaceholders] = useState<Record<string, AttachmentJobFile>>({});
  const [watchError, setWatchError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const watchers = useRef(new Map<string, () => void>());
  const doneCount = useRef(0);

  useEffect(() => {
    const current = watchers.current;
    return () => {
      for (const stop of current.values()) stop();
      current.clear();
    };
  }, []);

  const rows: FileRow[] = order.flatMap((key) => {
    const jobId = rowJob[key];
    if (!jobId) return [];
    const file = jobs[jobId]?.files.find((candidate) => keyOf(candidate) === key) ?? placeholders[key];
    return file ? [{ key, jobId, file }] : [];
  });

  // Files that landed: the attachment list is read again, once per new file.
  const done = rows.filter((row) => row.file.state === 'done').length;
  useEffect(() => {
    if (done > doneCount.current) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.attachments(conversationId) });
    }
    doneCount.current = done;
  }, [done, conversationId, queryClient]);

  const follow = useCallback(
    (jobId: string) => {
      const stop = watchAttachmentJob(
        jobId,
        { api, ...(options.eventSource === undefined ? {} : { eventSource: options.eventSource }) },
        {
          onUpdate: (job) => {
            setJobs((previous) => ({ ...previous, [jobId]: job }));
            if (isFinished(job)) watchers.current.delete(jobId);
          },
          onError: (error) => {
            watchers.current.delete(jobId);
            setWatchError(
              error instanceof ApiError && error.code === 'network_error'
                ? 'Progress stopped updating: Gatehouse could not be reached. The downloads go on on the server.'
                : 'Progress stopped updating. Reload the page to see where the downloads are.',
            );
          },
        },
      );
      watchers.current.set(jobId, stop);
    },
    [api, options.eventSource],
  );

  const start = useCallback(
    async (items: DriveItemRef[]) => {
      const { jobId } = await attachFromSharepoint(api, conversationId, items);
      setWatchError(null);
      setAnnouncement(`Attaching ${items.length} ${items.length === 1 ? 'file' : 'files'}…`);
      setPlaceholders((previous) => ({
        ...previous,
        ...Object.fromEntries(items.map((item) => [keyOf(item), queuedFile(item)])),
      }));
      setOrder((previous) => [...previous, ...items.map(keyOf).filter((key) => !previous.includes(key))]);
      setRowJob((previous) => ({
        ...previous,
        ...Object.fromEntries(items.map((item) => [keyOf(item), jobId])),
      }));
      follow(jobId);
    },
    [api, conversationId, follow],
  );

  const retry = useCallback(
    async (row: FileRow) => {
      const ref = { driveId: row.file.driveId, itemId: row.file.itemId };
      try {
        const { jobId } = await attachFromSharepoint(api, conversationId, [ref]);
        setPlaceholders((previous) => ({
          ...previous,
          [row.key]: { ...queuedFile(ref), name: row.file.name },
        }));
        setRowJob((previous) => ({ ...previous, [row.key]: jobId }));
        setAnnouncement(`Trying ${row.file.name || 'the file'} again…`);
        follow(jobId);
      } catch (error) {
        setAnnouncement(`${row.file.name || 'The file'} could not be retried: ${startErrorText(error)}`);
      }
    },
    [api, conversationId, follow],
  );

  const running = rows.some((row) => !terminal(row.file));

  const cancel = useCallback(async () => {
    setCancelling(true);
    try {
      const active = [...new Set(rows.filter((row) => !terminal(row.file)).map((row) => row.jobId))];
      await Promise.all(
        active.map(async (jobId) => {
          await cancelAttachmentJob(api, jobId);
          // Show the cancelled state now rather than at the next event or poll.
          const job = await getAttachmentJob(api, jobId);
          setJobs((previous) => ({ ...previous, [jobId]: job }));
          if (isFinished(job)) {
            watchers.current.get(jobId)?.();
            watchers.current.delete(jobId);
          }
        }),
      );
      // The summary ("… cancelled") is announced when the last file stops.
    } catch (error) {
      setAnnouncement(`Could not cancel: ${startErrorText(error)}`);
    } finally {
      setCancelling(false);
    }
  }, [api, rows]);

  // When the last running file ends, say how it went.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running && rows.length > 0) setAnnouncement(summary(rows));
    wasRunning.current = running;
  }, [running, rows]);

  const counted = rows.filter((row) => row.file.state !== 'failed' && row.file.state !== 'cancelled');
  return {
    rows,
    bytesDone: counted.reduce((sum, row) => sum + row.file.bytesDone, 0),
    bytesTotal: counted.reduce((sum, row) => sum + row.file.bytesTotal, 0),
    running,
    watchError,
    announcement,
    start,
    retry,
    cancel,
    cancelling,
    clear: () => {
      const keep = rows.filter((row) => !terminal(row.file)).map((row) => row.key);
      setOrder(keep);
    },
  };
}
