import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/** A download that sends nothing for this long (headers or body) is aborted. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Over `fetch`: used when downloads must go through PROXY (`outboundFetch`), and in tests (the
 * emulator's in-process fetch). Its body becomes a Node stream, so that it is piped to the client or
 * the file with Node's backpressure; fetch still copies every chunk into a WHATWG stream first.
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

/**
 * Over `node:http`/`node:https` directly (production without PROXY): the response is itself the
 * Node stream of the socket's buffers, so a proxied download never becomes a WHATWG stream and is
 * never copied into one. (undici's `request` skips that copy too, but its own connection pool grew
 * the BFF's resident memory past the 64 MiB budget in the download bench.) Redirects are never
 * followed: node:http does not follow them.
 */
export function downloadViaNodeHttp(): OpenDownload {
  return (url, { headers, signal }) =>
    new Promise((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: 'GET', headers, signal });
      req.setTimeout(IDLE_TIMEOUT_MS, () =>
        req.destroy(new Error(`The download sent nothing for ${IDLE_TIMEOUT_MS / 1000} s.`)),
      );
      req.once('error', reject); // before the answer: unreachable, refused, aborted
      req.once('response', (res: IncomingMessage) => {
        req.off('error', reject);
        // Later errors (a cut connection, the abort) reach whoever reads `res`; none may crash us.
        req.on('error', ignore);
        res.on('error', ignore);
        resolve({
          status: res.statusCode ?? 0,
          header(name) {
            const value = res.headers[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
          body: res,
          async discard() {
            res.destroy();
          },
        });
      });
      req.end();
    });
}
