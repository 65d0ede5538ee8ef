import type { Config } from '@gatehouse/config';
import type { Context, MiddlewareHandler } from 'hono';
import pino, { type DestinationStream, type Logger } from 'pino';
import { afterNext, asMiddleware } from './compose-layers';
import { createLogBatcher } from './log-batch';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Config['LOG_LEVEL'];
  /** Human-readable lines through pino-pretty (development only; it is a dev dependency). */
  pretty?: boolean;
  /** Where lines go instead of `file`; tests pass a stream to read them. */
  destination?: DestinationStream;
  /**
   * File descriptor or path for the default destination (default 1, stdout). Lines are written
   * asynchronously in batches of up to 4 KiB, flushed at least every 250 ms, right after a 5xx
   * request line, and when the process exits (`createLogBatcher`'s exit hook): a request never
   * waits for its log line, and a busy server makes one write per batch instead of one per line.
   * What a crash that skips the exit hook (SIGKILL, OOM kill) can lose is that last batch.
   */
  file?: number | string;
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
const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 250;

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
    formatters: { log: (object) => scrub(object) as Record<string, unknown> },
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
  return pino(
    config,
    options.destination ??
      // Batched here, written by sonic-boom as each batch arrives (see `createLogBatcher`).
      createLogBatcher(pino.destination({ dest: options.file ?? 1, sync: false, minLength: 0 }), {
        batchBytes: LOG_BATCH_BYTES,
        flushMs: LOG_FLUSH_MS,
      }),
  );
}

const { streamSym, chindingsSym } = pino.symbols;

/**
 * Writes the request line: method, path without the query (the callback's query holds the code and
 * state), status, duration in ms since `start` (`performance.now()`) and the request id (from
 * `requestId()` when mounted). 5xx answers log at error level.
 *
 * The line is the one `log.info({ reqId, method, path, status, ms }, 'request')` writes (level,
 * time, the logger's bindings, the fields, msg), formatted here and handed to the logger's
 * destination: every field is a primitive or went through `scrub`, so pino's generic serialiser
 * (a key walk, a string per value, hooks) only added cost on every request, about half of the line's.
 */
export function logRequest(log: Logger, c: Context, start: number): void {
  const status = c.res.status;
  const error = status >= 500;
  if (!log.isLevelEnabled(error ? 'error' : 'info')) return;
  // c.get, not c.var: `c.var` copies every variable into a new object on each access.
  const id = c.get('requestId') as string | undefined;
  const holder = log as unknown as Record<symbol, unknown>;
  (holder[streamSym] as DestinationStream).write(
    `{"level":${error ? 50 : 30},"time":${Date.now()}${holder[chindingsSym] as string}` +
      `${id === undefined ? '' : `,"reqId":${jsonString(id)}`},"method":${jsonString(c.req.method)}` +
      `,"path":${jsonString(scrub(c.req.path) as string)},"status":${status},"ms":${tenths(performance.now() - start)},"msg":"request"}\n`,
  );
  if (error) log.flush(); // an error line goes out now, not with the next batch
}

/**
 * `JSON.stringify(value)` for a string. The request line's strings (request id, method, path) are
 * nearly always printable ASCII without `"` or a backslash, which need no escaping: quoting them here
 * saves a call into V8's serialiser each. Anything else is JSON.stringify's.
 */
export function jsonString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}

/**
 * `String(Math.round(ms * 10) / 10)` for a duration (ms ≥ 0), written from the integer number of
 * tenths: V8 formats a fractional number through its shortest-double algorithm, an integer from a cache.
 */
export function tenths(ms: number): string {
  const count = Math.round(ms * 10);
  if (!(count >= 0 && count <= 0x3fffffff)) return String(Math.round(ms * 10) / 10);
  const fraction = count % 10;
  const whole = (count - fraction) / 10;
  return fraction === 0 ? String(whole) : `${whole}.${fraction}`;
}

/** One line per request (`logRequest`) once the route answered. */
export function requestLogger(log: Logger): MiddlewareHandler {
  return asMiddleware(function requestLogger(c, next) {
    const start = performance.now();
    return afterNext(next(), () => logRequest(log, c, start));
  });
}
