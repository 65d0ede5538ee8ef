/**
 * Streams one download URL into an attachment writer, resuming with `Range` after a cut where the
 * server honours it (a 206 whose `Content-Range` starts where we stopped), starting over where it
 * does not, and retrying transient failures (429/503, 5xx, a cut connection) with backoff and
 * `Retry-After`. The URL is asked for afresh before each attempt (`locate`), so an expired
 * pre-authenticated URL is replaced, never reused. Nothing is buffered beyond one chunk.
 */
import type { AttachmentFileErrorCode } from '@gatehouse/contracts';
import type { DownloadResponse, OpenDownload } from '../http/download-stream';
import type { AttachmentWriter } from './attachment-store';

export class DownloadError extends Error {
  readonly code: AttachmentFileErrorCode;
  constructor(code: AttachmentFileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DownloadError';
    this.code = code;
  }
}

export interface RetryOptions {
  /** Attempts per file, the first included (default 6). */
  attempts?: number;
  /** First backoff (default 500 ms), doubled per attempt up to `maxDelayMs` (default 8 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this fails the file as `throttled` (default 60 s). */
  maxRetryAfterMs?: number;
}

export interface RangedDownloadInput {
  /** Opens the download URL (no redirect followed, no bearer sent). */
  download: OpenDownload;
  /** A fresh download URL (asks Graph `/content`, checks the host); its errors are final. */
  locate(): Promise<URL>;
  writer: AttachmentWriter;
  /** Graph's size of the item; the download must deliver exactly this many bytes. */
  expectedSize: number;
  /** Refuses more bytes than this while streaming (the size may have changed since the check). */
  maxBytes: number;
  signal: AbortSignal;
  onProgress(bytesDone: number): void;
  retry?: RetryOptions;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `bytes a-b/total` → a, b, total; undefined when malformed. */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (end < start || (total !== undefined && end >= total)) return undefined;
  return { start, end, total };
}

/** Retryable trouble: what happened and how long to wait before the next attempt. */
class Transient extends Error {
  constructor(
    readonly kind: 'throttled' | 'network',
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

export async function rangedDownload(input: RangedDownloadInput): Promise<void> {
  const { writer, signal, expectedSize } = input;
  const attempts = input.retry?.attempts ?? 6;
  const baseDelayMs = input.retry?.baseDelayMs ?? 500;
  const maxDelayMs = input.retry?.maxDelayMs ?? 8000;
  const maxRetryAfterMs = input.retry?.maxRetryAfterMs ?? 60_000;
  const sleep = input.sleep ?? abortableSleep;

  for (let attempt = 1; ; attempt += 1) {
    try {
      await attemptOnce(input);
      return;
    } catch (err) {
      if (signal.aborted) throw new DownloadError('internal', 'Cancelled.', { cause: signal.reason });
      if (!(err instanceof Transient)) throw err;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const wait = err.waitMs ?? backoff;
      if (attempt >= attempts || wait > maxRetryAfterMs) {
        throw new DownloadError(
          err.kind,
          err.kind === 'throttled'
            ? 'SharePoint kept throttling the download; try again later.'
            : `The download failed after ${attempt} attempts: ${err.message}`,
        );
      }
      await sleep(wait, signal);
    }
  }

  async function attemptOnce(run: RangedDownloadInput) {
    const url = await run.locate();
    const from = writer.bytes;
    let response: DownloadResponse;
    try {
      response = await run.download(url, { headers: from > 0 ? { range: `bytes=${from}-` } : {}, signal });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new Transient('network', err instanceof Error ? err.message : 'the connection failed');
    }
    const { status } = response;
    if (signal.aborted) {
      // A download that does not watch the signal (or answered just before it fired).
      await response.discard();
      throw signal.reason;
    }
    if (status === 429 || status === 503) {
      await response.discard();
      throw new Transient(
        'throttled',
        `HTTP ${status}`,
        retryAfterMs(response.header('retry-after') ?? null),
      );
    }
    if (status === 401 || status >= 500) {
      // 401: the pre-authenticated URL expired; the next attempt asks Graph for a new one.
      await response.discard();
      throw new Transient('network', `HTTP ${status}`);
    }
    if (status === 403) {
      await response.discard();
      throw new DownloadError('access_denied', 'SharePoint refused the download.');
    }
    if (status === 404) {
      await response.discard();
      throw new DownloadError('not_found', 'The file no longer exists.');
    }
    if (status === 416 || (status !== 200 && status !== 206)) {
      await response.discard();
      if (status === 416) {
        await writer.restart();
        throw new Transient('network', 'the server refused to resume');
      }
      throw new DownloadError('internal', `The download answered HTTP ${status}.`);
    }
    if (status === 206) {
      const range = parseContentRange(response.header('content-range') ?? null);
      if (!range || range.start !== from || (range.total !== undefined && range.total !== expectedSize)) {
        // Not the part we asked for (or the file changed): start over rather than splice.
        await response.discard();
        await writer.restart();
        throw new Transient('network', 'the server resumed at another offset');
      }
    } else if (from > 0) {
      await writer.restart(); // 200 to a Range request: the whole file again
    }
    // A Node stream of the socket's buffers: one chunk at a time, written before the next is read.
    const body = response.body;
    try {
      const chunks = body[Symbol.asyncIterator]();
      for (;;) {
        let chunk: IteratorResult<Uint8Array>;
        try {
          chunk = await chunks.next();
        } catch (err) {
          if (signal.aborted) throw err;
          throw new Transient('network', err instanceof Error ? err.message : 'the connection was cut');
        }
        if (chunk.done) break;
        if (signal.aborted) throw signal.reason;
        if (writer.bytes + chunk.value.byteLength > run.maxBytes) {
          throw new DownloadError('too_large', 'The file is larger than the attachment limit.');
        }
        await writer.write(chunk.value);
        run.onProgress(writer.bytes);
      }
    } finally {
      body.destroy();
    }
    if (writer.bytes < expectedSize) {
      throw new Transient('network', `the connection ended after ${writer.bytes} of ${expectedSize} bytes`);
    }
    if (writer.bytes !== expectedSize) {
      throw new DownloadError('internal', 'The file changed while it was downloaded. Try again.');
    }
  }
}
