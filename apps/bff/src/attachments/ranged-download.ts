/**
 * Streams one download URL into an attachment writer, resuming with `Range` after a cut where the
 * server honours it (a 206 whose `Content-Range` starts where we stopped), starting over where it
 * does not, and retrying transient failures (429/503, 5xx, a cut connection) with backoff and
 * `Retry-After`. The URL is asked for afresh before each attempt (`locate`), so an expired
 * pre-authenticated URL is replaced, never reused. Nothing is buffered beyond one chunk.
 */
import type { AttachmentFileErrorCode } from '@gatehouse/contracts';
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
  fetch: typeof fetch;
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
    let response: Response;
    try {
      response = await run.fetch(url, {
        redirect: 'manual',
        headers: from > 0 ? { range: `bytes=${from}-` } : {},
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new Transient('network', err instanceof Error ? err.message : 'the connection failed');
    }
    if (signal.aborted) {
      // A fetch that does not watch the signal (or answered just before it fired).
      await response.body?.cancel().catch(() => {});
      throw signal.reason;
    }
    if (response.status === 429 || response.status === 503) {
      await response.body?.cancel();
      throw new Transient(
        'throttled',
        `HTTP ${response.status}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (response.status === 401 || response.status >= 500) {
      // 401: the pre-authenticated URL expired; the next attempt asks Graph for a new one.
      await response.body?.cancel();
      throw new Transient('network', `HTTP ${response.status}`);
    }
    if (response.status === 403) {
      await response.body?.cancel();
      throw new DownloadError('access_denied', 'SharePoint refused the download.');
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new DownloadError('not_found', 'The file no longer exists.');
    }
    if (response.status === 416 || (response.status !== 200 && response.status !== 206)) {
      await response.body?.cancel();
      if (response.status === 416) {
        await writer.restart();
        throw new Transient('network', 'the server refused to resume');
      }
      throw new DownloadError('internal', `The download answered HTTP ${response.status}.`);
    }
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== from || (range.total !== undefined && range.total !== expectedSize)) {
        // Not the part we asked for (or the file changed): start over rather than splice.
        await response.body?.cancel();
        await writer.restart();
        throw new Transient('network', 'the server resumed at another offset');
      }
    } else if (from > 0) {
      await writer.restart(); // 200 to a Range request: the whole file again
    }
    if (!response.body) throw new Transient('network', 'the response had no body');
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
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
      reader.releaseLock();
      await response.body.cancel().catch(() => {});
    }
    if (writer.bytes < expectedSize) {
      throw new Transient('network', `the connection ended after ${writer.bytes} of ${expectedSize} bytes`);
    }
    if (writer.bytes !== expectedSize) {
      throw new DownloadError('internal', 'The file changed while it was downloaded. Try again.');
    }
  }
}
