import { apiErrorSchema, csrfHeader, type ErrorCode, type ErrorReason } from '@gatehouse/contracts';

/** The BFF's error codes, plus the two failures that never reach the BFF or never make sense. */
export type ApiErrorCode = ErrorCode | 'network_error' | 'invalid_response';

/** Any failed `/api/*` call. Features switch on `code` (and `reason`); nothing here redirects. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly reason: ErrorReason | undefined;
  /** For `role_required`: the roles of which the user needs one. */
  readonly requiredRoles: readonly string[];
  /** For `interaction_required`: the resource that needs consent or a new sign-in. */
  readonly resource: string | undefined;
  /** The server's `Retry-After` (a 503 while the identity provider is down), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    message: string;
    reason?: ErrorReason | undefined;
    requiredRoles?: readonly string[] | undefined;
    resource?: string | undefined;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.requiredRoles = init.requiredRoles ?? [];
    this.resource = init.resource;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Anything with zod's `parse` (the schemas of `@gatehouse/contracts`). */
export type ResponseParser<T> = { parse(data: unknown): T };

export type RequestOptions = { signal?: AbortSignal | undefined };

export type ApiClient = {
  get<T>(path: string, parser: ResponseParser<T>, options?: RequestOptions): Promise<T>;
  /** `parser: null` when the caller does not read the answer (a 201 or 204 whose body may be empty). */
  post<T>(path: string, body: unknown, parser: ResponseParser<T>, options?: RequestOptions): Promise<T>;
  post(path: string, body: unknown, parser: null, options?: RequestOptions): Promise<void>;
  put<T>(path: string, body: unknown, parser: ResponseParser<T>, options?: RequestOptions): Promise<T>;
  /** The answer's body, if any, is not read: a successful status is the whole result. */
  delete(path: string, options?: RequestOptions): Promise<void>;
  getBlob(path: string, options?: RequestOptions): Promise<Blob>;
  /** Told about every failed call (the auth layer watches for `login_required`); returns unsubscribe. */
  onError(listener: (error: ApiError) => void): () => void;
};

export type ApiClientDeps = {
  fetch?: typeof fetch;
  /** The origin the BFF answers on; the page's own origin by default (one origin, as the BFF requires). */
  baseUrl?: string;
};

/** Status → code for error responses that are not the BFF's JSON (a proxy's 502 page, say). */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'login_required',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
  502: 'provider_unavailable',
  503: 'provider_unavailable',
  504: 'provider_unavailable',
};

async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = apiErrorSchema.safeParse(json);
  const retryAfter = response.headers.get('retry-after');
  const retryAfterMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  if (parsed.success) {
    const body = parsed.data;
    return new ApiError({
      status: response.status,
      code: body.error,
      message: body.message,
      reason: body.reason,
      requiredRoles: body.requiredRoles,
      resource: body.resource,
      retryAfterMs,
    });
  }
  return new ApiError({
    status: response.status,
    code: codeByStatus[response.status] ?? 'internal',
    message: `The server answered ${response.status} ${response.statusText}`.trim(),
    retryAfterMs,
  });
}

/**
 * fetch for the BFF's `/api/*`: always `X-CSRF: 1` (the BFF refuses API calls without it) and
 * same-origin credentials (the session cookie). Non-2xx → `ApiError`; bodies are checked against
 * the contract's schemas, so a drifting BFF fails loudly here rather than deep in a component.
 */
export function createApiClient(deps: ApiClientDeps = {}): ApiClient {
  const doFetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const listeners = new Set<(error: ApiError) => void>();

  const fail = (error: ApiError): never => {
    for (const listener of listeners) listener(error);
    throw error;
  };

  async function send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    options: RequestOptions,
  ) {
    if (!path.startsWith('/api/')) throw new TypeError(`api-client: "${path}" is not a /api/* path`);
    const url = new URL(path, deps.baseUrl ?? window.location.origin);
    const headers: Record<string, string> = { [csrfHeader.name]: csrfHeader.value };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? null : JSON.stringify(body),
        signal: options.signal ?? null,
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      return fail(
        new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the server', cause }),
      );
    }
    if (!response.ok) return fail(await errorFromResponse(response));
    return response;
  }

  async function readJson<T>(response: Response, parser: ResponseParser<T>, path: string): Promise<T> {
    try {
      return parser.parse(await response.json());
    } catch (cause) {
      return fail(
        new ApiError({
          status: response.status,
          code: 'invalid_response',
          message: `The server's answer to ${path} is not what this version of Gatehouse expects`,
          cause,
        }),
      );
    }
  }

  return {
    async get(path, parser, options = {}) {
      return readJson(await send('GET', path, undefined, options), parser, path);
    },
    async post<T>(
      path: string,
      body: unknown,
      parser: ResponseParser<T> | null,
      options: RequestOptions = {},
    ) {
      const response = await send('POST', path, body ?? {}, options);
      if (parser === null) return undefined as T;
      return readJson(response, parser, path);
    },
    async put(path, body, parser, options = {}) {
      return readJson(await send('PUT', path, body ?? {}, options), parser, path);
    },
    async delete(path, options = {}) {
      await send('DELETE', path, undefined, options);
    },
    async getBlob(path, options = {}) {
      return (await send('GET', path, undefined, options)).blob();
    },
    onError(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
