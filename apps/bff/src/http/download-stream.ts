import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** One GET of a download URL: its status, headers and a Node stream of its body. */
export interface DownloadResponse {
  status: number;
  header(name: string): string | undefined;
  /** Empty for a bodiless answer. Destroying it aborts the request. */
  body: Readable;
  /** Drops the body (an answer that is not passed on). */
  discard(): Promise<void>;
}

/**
 * Opens a download URL without following redirects. `signal` aborts the request and its body.
 * Rejects when the server cannot be reached.
 */
export type OpenDownload = (
  url: URL,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<DownloadResponse>;

const ignore = () => {};

/** Buffered per download before the reader pulls (bounds memory; larger reads mean fewer writes). */
const HIGH_WATER_MARK = 256 * 1024;

/**
 * Over `fetch` (production: `outboundFetch`, through PROXY when set; tests: the emulator's in-process
 * fetch), its body as a Node stream, so that it is piped to the client or the file with Node's
 * backpressure.
 *
 * Measured against the alternatives with the download bench (docs/attachments.md): node:http's
 * `request` cost the BFF as much CPU per byte or more (its parser copies every chunk as well, and
 * the BFF took about twice the page faults), so it would only add a second path that the tests do
 * not cover; undici's `request` skips fetch's copy, but its own connection pool grew the BFF's
 * resident memory past the 64 MiB budget.
 */
export function downloadViaFetch(fetchImpl: typeof fetch): OpenDownload {
  return async (url, { headers, signal }) => {
    const answer = await fetchImpl(url, { redirect: 'manual', headers, signal });
    const body = answer.body
      ? Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>, { highWaterMark: HIGH_WATER_MARK })
      : Readable.from([]);
    body.on('error', ignore);
    return {
      status: answer.status,
      header: (name) => answer.headers.get(name) ?? undefined,
      body,
      async discard() {
        body.destroy();
      },
    };
  };
}
