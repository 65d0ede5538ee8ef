import type { Config } from '@gatehouse/config';
import type { Context, MiddlewareHandler } from 'hono';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Config['LOG_LEVEL'];
  /** Human-readable lines through pino-pretty (development only; it is a dev dependency). */
  pretty?: boolean;
  /**
   * Where lines go; tests pass a stream to read them. Default: stdout, written asynchronously
   * (pino's `destination({ sync: false })`): a request does not wait for its log line to reach the
   * pipe. pino flushes what is buffered when the process exits.
   */
  destination?: DestinationStream;
}

const REDACTED = '[Redacted]';
/**
 * Keys whose values never reach a log line, at any depth: credentials and anything that is a
 * token, an authorization code, a login transaction value or a cookie.
 */
const SECRET_KEY =
  /token|secret|password|passwd|authorization|^cookie$|^set-cookie$|^code$|state$|verifier|nonce|assertion|^sid$|^session_?id$/i;
// A JWT anywhere in a string (an ID or access token pasted into an error message).
const JWT = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g;
const MAX_DEPTH = 6;

/** A copy of `value` with secret-looking keys and embedded JWTs replaced. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('eyJ') ? value.replace(JWT, '[Redacted JWT]') : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    // pino's err serializer would see these; do its job here so the values get scrubbed too.
    out.type = value.name;
    out.message = scrub(value.message, depth + 1);
    if (value.stack) out.stack = scrub(value.stack, depth + 1);
    if (value.cause !== undefined) out.cause = scrub(value.cause, depth + 1);
  } else if (value instanceof Headers) {
    for (const [key, v] of value) out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
  }
  return out;
}

/**
 * The BFF's pino logger. Every object logged goes through `scrub`, and every string argument has
 * embedded JWTs removed, so tokens, codes and secrets stay out of logs whatever a caller passes.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: options.level,
    base: null,
    // `scrub` (below) already turned errors into { type, message, stack, cause }; pino's own err
    // serializer would flatten that again and lose the type.
    serializers: { err: (err: unknown) => err },
    formatters: {
      // A request line is built from scrubbed parts already (see `requestLogger`).
      log: (object) => (object instanceof RequestLine ? object : (scrub(object) as Record<string, unknown>)),
    },
    hooks: {
      logMethod(args, method) {
        // Copies the arguments only when a string one holds something to redact (rare).
        const dirty = args.some((arg) => typeof arg === 'string' && arg.includes('eyJ'));
        const cleaned = dirty ? args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) : args;
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  if (options.pretty) {
    return pino({
      ...config,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(config, options.destination ?? pino.destination({ dest: 1, sync: false }));
}

/** The request log line: every field is a primitive, and `path` went through `scrub`. */
class RequestLine {
  constructor(
    readonly reqId: string | undefined,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly ms: number,
  ) {}
}

/**
 * Writes the request line: method, path without the query (the callback's query holds the code and
 * state), status, duration in ms since `start` (`performance.now()`) and the request id (from
 * `requestId()` when mounted). 5xx answers log at error level.
 */
export function logRequest(log: Logger, c: Context, start: number): void {
  const status = c.res.status;
  const line = new RequestLine(
    // c.get, not c.var: `c.var` copies every variable into a new object on each access.
    c.get('requestId') as string | undefined,
    c.req.method,
    scrub(c.req.path) as string,
    status,
    Math.round((performance.now() - start) * 10) / 10,
  );
  if (status >= 500) log.error(line, 'request');
  else log.info(line, 'request');
}

/** One line per request (`logRequest`) once the route answered. */
export function requestLogger(log: Logger): MiddlewareHandler {
  return function requestLogger(c, next) {
    const start = performance.now();
    return next().then(() => logRequest(log, c, start));
  };
}
