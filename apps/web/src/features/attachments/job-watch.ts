import { type AttachmentJob, attachmentJobSchema } from '@gatehouse/contracts';
import type { ApiClient } from '../../lib/api-client';
import { attachmentJobEventsUrl, getAttachmentJob } from './api/attachment-job';

/** The part of `EventSource` the watcher uses (tests pass their own). */
export type EventSourceLike = {
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
};
export type EventSourceFactory = (url: string) => EventSourceLike;

export type JobWatchDeps = {
  api: ApiClient;
  /** `null` when the browser has none (or in tests of the polling path). */
  eventSource?: EventSourceFactory | null;
  pollMs?: number;
};

export type JobWatchHandlers = {
  onUpdate(job: AttachmentJob): void;
  /** Polling failed too (network, the job is gone); the watcher stops. */
  onError(error: unknown): void;
};

export const jobWatchTiming = { pollMs: 1000 };

export const isFinished = (job: AttachmentJob) => job.state === 'done' || job.state === 'cancelled';

function browserEventSource(): EventSourceFactory | null {
  if (typeof EventSource !== 'function') return null;
  // Same origin: the session cookie goes along without `withCredentials`.
  return (url) => new EventSource(url) as unknown as EventSourceLike;
}

/**
 * Follows a job until it finishes: server-sent events first (one message per change); if the stream
 * fails (a proxy that buffers, an error status, no EventSource), `GET` the job every `pollMs` instead.
 * Returns stop.
 */
export function watchAttachmentJob(
  jobId: string,
  deps: JobWatchDeps,
  handlers: JobWatchHandlers,
): () => void {
  const pollMs = deps.pollMs ?? jobWatchTiming.pollMs;
  const factory = deps.eventSource === undefined ? browserEventSource() : deps.eventSource;
  let stopped = false;
  let source: EventSourceLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const controller = new AbortController();

  const finish = () => {
    stopped = true;
    source?.close();
    source = null;
    if (timer) clearTimeout(timer);
    controller.abort();
  };

  const deliver = (job: AttachmentJob) => {
    if (stopped) return;
    handlers.onUpdate(job);
    if (isFinished(job)) finish();
  };

  const poll = async () => {
    if (stopped) return;
    try {
      deliver(await getAttachmentJob(deps.api, jobId, { signal: controller.signal }));
    } catch (error) {
      if (stopped) return;
      finish();
      handlers.onError(error);
      return;
    }
    if (!stopped) timer = setTimeout(poll, pollMs);
  };

  const fallBackToPolling = () => {
    source?.close();
    source = null;
    if (!stopped && timer === null) void poll();
  };

  if (factory) {
    try {
      source = factory(attachmentJobEventsUrl(jobId));
      source.onmessage = (event) => {
        let parsed: AttachmentJob;
        try {
          parsed = attachmentJobSchema.parse(JSON.parse(String(event.data)));
        } catch {
          return fallBackToPolling();
        }
        deliver(parsed);
      };
      // EventSource reconnects by itself after an error; polling is steadier, so the stream is dropped.
      source.onerror = () => fallBackToPolling();
    } catch {
      fallBackToPolling();
    }
  } else {
    void poll();
  }
  return finish;
}
