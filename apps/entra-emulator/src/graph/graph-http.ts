import type { Context } from 'hono';
import { GRAPH_JSON, GraphError, graphErrors } from './graph-error';
import { isEventual } from './odata';

/**
 * Read-only resources answer other methods with Graph's 405 (HEAD too, as Graph does not serve it).
 * Called inside the handler, after the permission check where Graph checks that first.
 */
export function readOnly(c: Context): void {
  const method = c.req.method;
  if (method !== 'GET')
    throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed here.`);
}

/** Graph's actions (`getMemberGroups`, …) take POST only. */
export function postOnly(c: Context, action: string): void {
  if (c.req.method !== 'POST') throw graphErrors.badRequest(`${action} must be called with POST.`);
}

export function graphJson(c: Context, body: unknown): Response {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': GRAPH_JSON });
}

/** `…/$count`: a bare number, and only for advanced queries (`ConsistencyLevel: eventual`). */
export function graphCount(c: Context, count: number): Response {
  if (!isEventual(c)) throw graphErrors.requestBadRequest('$count is not currently supported.');
  return c.text(String(count), 200, { 'Content-Type': 'text/plain' });
}

export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  try {
    const body = (await c.req.json()) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw graphErrors.requestBadRequest('The request body must be a JSON object.');
}

export function imageNotFound(): GraphError {
  return new GraphError(
    404,
    'ImageNotFound',
    "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
  );
}
