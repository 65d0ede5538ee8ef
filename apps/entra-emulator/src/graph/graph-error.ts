import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { guid } from '../util/ids';

/** A Graph error: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function graphErrorResponse(c: Context, error: GraphError, now: number) {
  const requestId = c.res.headers.get('request-id') ?? guid();
  for (const [key, value] of Object.entries(error.headers)) c.header(key, value);
  return c.json(
    {
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          date: new Date(now).toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': c.req.header('client-request-id') ?? requestId,
        },
      },
    },
    error.status as ContentfulStatusCode,
  );
}

export const graphErrors = {
  badRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  unsupportedQuery: (message: string) => new GraphError(400, 'Request_UnsupportedQuery', message),
  requestBadRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  notFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  noRoute: (path: string) =>
    new GraphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`),
  denied: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  /** CAE / Conditional Access: the token lacks the authentication context `acrs` (claims base64, as Graph sends it). */
  insufficientClaims: (acrs: string, baseUrl: string) =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Continuous access evaluation resulted in claims challenge.',
      {
        'WWW-Authenticate': `Bearer realm="", authorization_uri="${baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${Buffer.from(JSON.stringify({ access_token: { acrs: { essential: true, value: acrs } } })).toString('base64')}"`,
      },
    ),
  unauthenticated: (message: string, baseUrl: string) =>
    new GraphError(401, 'InvalidAuthenticationToken', message, {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    }),
};
