import { Hono } from 'hono';
import { GraphError, graphErrorResponse } from '../graph/graph-error';
import type { DownloadSigner } from './download-token';
import type { DriveShapes } from './drive-representation';
import type { DriveStore } from './drive-store';

/**
 * `/_download/{token}`: the pre-authenticated URL Graph's `/content` redirects to. No bearer token:
 * the signed, short-lived token is the authorisation (as SharePoint's `tempauth`). GET and HEAD, with
 * single byte ranges (206, or 416 when unsatisfiable) and `If-Range`.
 */
export function createDownloadRoutes(deps: {
  store: DriveStore;
  shapes: DriveShapes;
  signer: DownloadSigner;
  clock: () => number;
}) {
  const { store, shapes, signer, clock } = deps;
  const app = new Hono();

  app.on(['GET', 'HEAD'], '/:token', (c) => {
    const fail = (status: number, code: string, message: string) =>
      graphErrorResponse(c, new GraphError(status, code, message), clock());
    const grant = signer.verify(c.req.param('token'));
    if (grant === 'invalid') return fail(401, 'unauthenticated', 'The download URL is not valid.');
    if (grant === 'expired')
      return fail(401, 'unauthenticated', 'The download URL has expired: ask Graph for the item again.');
    const drive = store.drive(grant.driveId);
    const item = drive ? store.item(drive, grant.itemId) : undefined;
    const content = item ? store.content(item) : undefined;
    if (!item || !content) return fail(404, 'itemNotFound', 'The resource could not be found.');

    const shape = shapes.item(item);
    const etag = String(shape.eTag);
    const size = content.size;
    const headers: Record<string, string> = {
      'Content-Type': content.mimeType,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': new Date(String(shape.lastModifiedDateTime)).toUTCString(),
      'Content-Disposition': contentDisposition(item.name),
      'Cache-Control': 'private, max-age=0',
      'X-Content-Type-Options': 'nosniff',
    };
    const rangeHeader = c.req.header('range');
    const ifRange = c.req.header('if-range');
    const range = rangeHeader && (!ifRange || ifRange === etag) ? parseRange(rangeHeader, size) : undefined;
    if (range === 'unsatisfiable') {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
    }
    const [start, end] = range ?? [0, size - 1];
    const length = end - start + 1;
    const status = range ? 206 : 200;
    const responseHeaders = {
      ...headers,
      'Content-Length': String(length),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    };
    if (c.req.method === 'HEAD') return c.body(null, status, responseHeaders);
    return c.body(content.stream(start, end), status, responseHeaders);
  });
  app.all('/:token', (c) =>
    graphErrorResponse(
      c,
      new GraphError(405, 'invalidRequest', `The HTTP method '${c.req.method}' is not allowed here.`),
      clock(),
    ),
  );
  return app;
}

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); undefined (the whole file) for anything else,
 * including several ranges, which a server may answer in full.
 */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return [start, end];
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
