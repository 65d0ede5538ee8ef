import type { Context, Env, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from './errors';

export interface ErrorHandlerDeps {
  log: { warn(object: object, message: string): void; error(object: object, message: string): void };
}

const GENERIC_MESSAGE =
  'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.';

/**
 * `app.onError`: an `AppError` becomes its status and `{ error, reason?, message, … }`; a hono
 * `HTTPException` (body limit, malformed input) keeps its 4xx status with a matching code; anything
 * else is a 500 `internal` with a generic message. The cause is logged, never sent.
 */
export function errorHandler<E extends Env = Env>(deps: ErrorHandlerDeps): ErrorHandler<E> {
  return function onError(error, c) {
    const context = {
      err: error,
      method: c.req.method,
      path: c.req.path,
      reqId: c.get('requestId') as string | undefined,
    };
    const appError = toAppError(error);
    if (appError.status >= 500) {
      if (appError.code === 'internal') deps.log.error(context, 'unhandled error');
      else deps.log.warn(context, appError.message);
    }
    // A hono HTTPException (413 body limit, …) keeps its own 4xx status.
    const status = error instanceof HTTPException && error.status < 500 ? error.status : appError.status;
    return errorResponse(c, appError, status as ContentfulStatusCode);
  };
}

/** The one way an error reaches the client: `{ error, reason?, message, … }`, never cached. */
function errorResponse(c: Context, error: AppError, status: ContentfulStatusCode = error.status): Response {
  c.header('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(error.headers ?? {})) {
    // Appended: a cookie set before the error (a cleared login transaction) must stay.
    c.header(name, value, { append: name.toLowerCase() === 'set-cookie' });
  }
  return c.json(error.toBody(), status);
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException && error.status < 500) {
    const code =
      error.status === 401
        ? 'login_required'
        : error.status === 403
          ? 'forbidden'
          : error.status === 404
            ? 'not_found'
            : error.status === 429
              ? 'rate_limited'
              : 'bad_request';
    return new AppError(code, error.message || 'The request was not valid.', { cause: error });
  }
  return new AppError('internal', GENERIC_MESSAGE, { cause: error });
}

/** `app.notFound`: JSON `not_found` under `/api/`, a plain 404 elsewhere. */
export function notFound<E extends Env = Env>(): NotFoundHandler<E> {
  return function notFound(c) {
    if (c.req.path.startsWith('/api/')) {
      return errorResponse(
        c,
        new AppError('not_found', `There is no API route ${c.req.method} ${c.req.path}.`),
      );
    }
    return c.text('Not found', 404);
  };
}
