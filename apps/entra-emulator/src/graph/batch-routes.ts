import { type Context, Hono } from 'hono';
import type { EmulatorContext } from '../context';
import type { GraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { GRAPH_JSON, graphErrors } from './graph-error';

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const MAX_REQUESTS = 20;
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
/** Sub-response headers worth passing on; Content-Type always (MGT reads it for every string body). */
const KEPT_HEADERS = ['content-type', 'retry-after', 'location', 'odata-version', 'cache-control', 'etag'];

/**
 * `POST /v1.0/$batch`: up to 20 requests, each run through the whole emulator (so faults, scopes and
 * counters apply per sub-request), answered with per-request status, headers and body. With `dependsOn`
 * the batch runs in order and a request whose dependency failed gets 424. Errors of the batch itself
 * are GraphErrors, rendered by the Graph app's `onError`.
 */
export function createBatchRoutes(ctx: EmulatorContext, auth: GraphAuth) {
  const app = new Hono<GraphEnv>();
  app.post('/', async (c) => {
    // An app-only token (client credentials) may batch too; each part is then checked as an app's.
    if (!(await auth.authenticateApp(c))) await auth.authenticate(c);
    const requests = await readBatch(c);
    const sequential = requests.some((r) => r.dependsOn && r.dependsOn.length > 0);
    let responses: BatchResponse[];
    if (sequential) {
      responses = [];
      for (const request of requests) {
        const failed = (request.dependsOn ?? []).find((dep) => {
          const done = responses.find((r) => r.id.toLowerCase() === dep.toLowerCase());
          return !done || done.status >= 400;
        });
        responses.push(failed ? failedDependency(request, failed) : await run(c, request));
      }
    } else {
      responses = await Promise.all(requests.map((request) => run(c, request)));
    }
    return c.body(JSON.stringify({ responses }), 200, { 'Content-Type': GRAPH_JSON });
  });
  return app;

  async function run(c: Context, request: BatchRequest): Promise<BatchResponse> {
    const headers = new Headers(request.headers ?? {});
    const authorization = c.req.header('authorization');
    if (authorization) headers.set('authorization', authorization);
    let body: string | undefined;
    if (request.body !== undefined) {
      if (!headers.has('content-type')) {
        return errorResponse(
          request.id,
          400,
          'BadRequest',
          "A Content-Type header is required in 'headers' when a request has a body.",
        );
      }
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    }
    // The Graph SDK turns absolute request URLs into "/v1.0/me": accept the version prefix too.
    const path =
      (request.url.startsWith('/') ? request.url : `/${request.url}`).replace(/^\/v1\.0(?=\/|$)/, '') || '/';
    const sub = new Request(`${ctx.baseUrl}/v1.0${path}`, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    ctx.batched.add(sub);
    const response = await ctx.handle(sub);
    const out: BatchResponse = { id: request.id, status: response.status, headers: {} };
    for (const [name, value] of response.headers) {
      if (KEPT_HEADERS.includes(name.toLowerCase())) out.headers[canonical(name)] = value;
    }
    const type = response.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > 0) {
      if (type.includes('json')) out.body = JSON.parse(bytes.toString('utf8'));
      else if (type.startsWith('text/')) out.body = bytes.toString('utf8');
      else out.body = bytes.toString('base64');
    }
    return out;
  }
}

async function readBatch(c: Context): Promise<BatchRequest[]> {
  let payload: unknown;
  try {
    payload = await c.req.json();
  } catch {
    throw graphErrors.badRequest('Invalid batch payload format: the body must be JSON.');
  }
  const requests = (payload as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw graphErrors.badRequest(
      'Invalid batch payload format: expected { "requests": [ ... ] } with at least one request.',
    );
  }
  if (requests.length > MAX_REQUESTS) {
    throw graphErrors.badRequest(
      `Number of requests in the batch (${requests.length}) exceeds the maximum of ${MAX_REQUESTS}.`,
    );
  }
  const ids = new Set<string>();
  for (const [index, raw] of requests.entries()) {
    const r = raw as Partial<BatchRequest>;
    if (typeof r?.id !== 'string' || !r.id)
      throw graphErrors.badRequest(`Batch request ${index} needs a string 'id'.`);
    if (ids.has(r.id.toLowerCase()))
      throw graphErrors.badRequest(`Batch request id '${r.id}' is used twice; ids must be unique.`);
    ids.add(r.id.toLowerCase());
    if (typeof r.method !== 'string' || !METHODS.includes(r.method.toUpperCase())) {
      throw graphErrors.badRequest(`Batch request '${r.id}' has an invalid method '${String(r.method)}'.`);
    }
    r.method = r.method.toUpperCase();
    if (typeof r.url !== 'string' || /^[a-z]+:\/\//i.test(r.url)) {
      throw graphErrors.badRequest(
        `Batch request '${r.id}' needs a relative 'url' such as /me or /users?$top=5.`,
      );
    }
    for (const dep of r.dependsOn ?? []) {
      if (!ids.has(dep.toLowerCase()) || dep.toLowerCase() === r.id.toLowerCase()) {
        throw graphErrors.badRequest(
          `Batch request '${r.id}' depends on '${dep}', which is not an earlier request of the batch.`,
        );
      }
    }
  }
  return requests as BatchRequest[];
}

function failedDependency(request: BatchRequest, dependency: string): BatchResponse {
  return errorResponse(
    request.id,
    424,
    'FailedDependency',
    `The request depends on '${dependency}', which failed.`,
  );
}

function errorResponse(id: string, status: number, code: string, message: string): BatchResponse {
  return { id, status, headers: { 'Content-Type': 'application/json' }, body: { error: { code, message } } };
}

function canonical(name: string): string {
  return name.toLowerCase() === 'odata-version'
    ? 'OData-Version'
    : name.replace(/(^|-)([a-z])/g, (_, dash, ch) => dash + ch.toUpperCase());
}
