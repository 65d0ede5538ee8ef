import type { ApiErrorBody, ErrorCode, ErrorReason } from '@gatehouse/contracts';

/** One table: each wire error code and its HTTP status. */
export const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503> = {
  login_required: 401,
  interaction_required: 401,
  csrf: 401,
  role_required: 403,
  forbidden: 403,
  not_found: 404,
  bad_request: 400,
  invalid_request: 400,
  feature_disabled: 404,
  unknown_principal: 400,
  last_owner: 409,
  resource_not_allowed: 400,
  rate_limited: 429,
  provider_unavailable: 503,
  configuration_error: 500,
  internal: 500,
};

export interface AppErrorOptions {
  reason?: ErrorReason;
  cause?: unknown;
  /** Extra fields for the body (`resource`, `requiredRoles`). Never secrets. */
  details?: Pick<ApiErrorBody, 'resource' | 'requiredRoles'>;
  /**
   * Response headers that belong to this error (`Retry-After`, a `Set-Cookie` that clears the
   * session), written by `app.onError` beside its own.
   */
  headers?: Readonly<Record<string, string>>;
}

/** An error with a stable wire `code` and a message that is safe to show; the cause is only logged. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  readonly details: AppErrorOptions['details'];
  readonly headers: AppErrorOptions['headers'];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.reason = options.reason;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status() {
    return statusOf[this.code];
  }

  toBody(): ApiErrorBody {
    return {
      error: this.code,
      ...(this.reason ? { reason: this.reason } : {}),
      message: this.message,
      ...this.details,
    };
  }
}
