/**
 * A small Microsoft Graph client: the one module that talks to Graph, so retries, paging and the
 * host allow-list live in one place. It calls only `baseUrl`'s origin (`https://graph.microsoft.com`,
 * or the emulator's): paths come from this code, and `@odata.nextLink` is followed only when it
 * points at that same origin — never a URL taken from a token (`_claim_sources`) or the browser.
 */
import type { Logger } from 'pino';
import { isClaimsJson } from '../auth/claims-parameter';
import { AppError } from '../http/errors';

export interface GraphClientOptions {
  fetch: typeof fetch;
  log: Logger;
  /** `GRAPH_BASE_URL`, with its version segment. Default `https://graph.microsoft.com/v1.0`. */
  baseUrl?: string;
  /** The Graph resource of the configuration's cloud, named in 401s (default `https://graph.microsoft.com`). */
  resource?: string;
  /** Retries on 429/503/504 (default 3), honouring `Retry-After` up to `maxRetryAfterMs` (default 10 s). */
  maxRetries?: number;
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Graph refused `accessToken` with a claims challenge (CAE, Conditional Access): the decoded
   * `claims` JSON, for the next sign-in to carry (auth/claims-challenge.ts).
   */
  onClaimsChallenge?: (accessToken: string, claims: string) => Promise<void>;
}

export interface GraphRequest {
  method?: 'GET' | 'POST';
  /** Relative to the base URL (`…/v1.0`), starting with `/`, e.g. `/me/getMemberObjects`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The caller's deadline (people search gives Graph 2.5 s): aborts the request and any wait
   * between retries; the call then fails with `provider_unavailable` and is not retried.
   */
  signal?: AbortSignal;
  /**
   * Answers a redirect (`/items/{id}/content` → 302 to a pre-authenticated URL) as a success instead
   * of an error; the redirect is never followed here (the caller checks `Location` first).
   */
  acceptRedirect?: boolean;
}

/** One request of a `$batch` (at most 20), its `id` unique within the batch. */
export interface GraphBatchRequest extends Omit<GraphRequest, 'signal' | 'acceptRedirect'> {
  id: string;
}

/** The answer to one request of a `$batch`: throttled ones were retried as far as allowed. */
export interface GraphBatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface GraphPhoto {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
}

export interface GraphClient {
  /** The raw response of a successful (2xx) request; any other status becomes an `AppError`. */
  request(accessToken: string, request: GraphRequest): Promise<Response>;
  json<T>(accessToken: string, request: GraphRequest): Promise<T>;
  /** Every item of a collection, following `@odata.nextLink` (same origin only) up to `maxPages`. */
  collect<T>(accessToken: string, request: GraphRequest, maxPages?: number): Promise<T[]>;
  /** Object ids of the signed-in user's groups and directory roles (transitive): groups overage. */
  memberObjects(accessToken: string): Promise<string[]>;
  /** The signed-in user's photo, or `undefined` when they have none. */
  myPhoto(accessToken: string): Promise<GraphPhoto | undefined>;
  /** A directory user's photo by object id (`/users/{id}/photo/$value`), or `undefined`. */
  userPhoto(accessToken: string, userId: string): Promise<GraphPhoto | undefined>;
  /**
   * Up to 20 requests in one round trip (`POST /$batch`). Sub-requests answered 429/503/504 are
   * sent again (in a new batch) after their `Retry-After`, within the retry budget; every other
   * status is returned as it came, for the caller to judge one by one.
   */
  batch(
    accessToken: string,
    requests: readonly GraphBatchRequest[],
    options?: { signal?: AbortSignal },
  ): Promise<GraphBatchResponse[]>;
}

/** Object ids: Graph's are GUIDs. Checked before an id goes into a URL path. */
export const GRAPH_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Graph refused the token or asked for more claims (Conditional Access, CAE): sign in again. */
export class GraphAuthError extends AppError {
  readonly graphStatus: number;
  constructor(
    graphStatus: number,
    message: string,
    challenge?: string,
    reason: 'consent_required' | 'claims_challenge' = 'consent_required',
    resource = 'https://graph.microsoft.com',
  ) {
    super('interaction_required', message, {
      reason,
      details: { resource },
      ...(challenge ? { cause: challenge } : {}),
    });
    this.graphStatus = graphStatus;
  }
}

/**
 * The claims JSON of `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64>"`,
 * or undefined when the challenge is another one (or its claims are not a JSON object).
 */
export function insufficientClaimsOf(challenge: string | undefined): string | undefined {
  if (!challenge || !/\berror="insufficient_claims"/i.test(challenge)) return undefined;
  const encoded = /\bclaims="([A-Za-z0-9+/=_-]+)"/.exec(challenge)?.[1];
  if (!encoded) return undefined;
  const claims = Buffer.from(encoded, 'base64').toString('utf8');
  return isClaimsJson(claims) ? claims : undefined;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = new URL(options.baseUrl ?? 'https://graph.microsoft.com/v1.0');
  if (
    base.protocol !== 'https:' &&
    !(base.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(base.hostname))
  ) {
    throw new TypeError(`createGraphClient: baseUrl ${base.href} must be https (http only for localhost).`);
  }
  const origin = base.origin;
  const root = base.href.replace(/\/+$/, '');
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseSleep = options.sleep ?? sleepFor;
  /** Waits, unless the caller's deadline passes first. */
  async function sleep(ms: number, signal?: AbortSignal) {
    if (!signal) return baseSleep(ms);
    if (signal.aborted) throw deadlinePassed(signal);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(deadlinePassed(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([baseSleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
  const { log } = options;

  function urlOf(request: GraphRequest) {
    if (!request.path.startsWith('/') || request.path.startsWith('//')) {
      throw new TypeError(
        `GraphClient: path ${JSON.stringify(request.path)} must be relative to ${root} and start with "/".`,
      );
    }
    const url = new URL(root + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    return url;
  }

  async function send(accessToken: string, url: URL, request: GraphRequest): Promise<Response> {
    if (url.origin !== origin) {
      throw new AppError('internal', 'Refused to call a host other than Microsoft Graph.', {
        cause: url.origin,
      });
    }
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      const signal = request.signal
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), request.signal])
        : AbortSignal.timeout(timeoutMs);
      try {
        response = await untilAborted(
          options.fetch(url, {
            method: request.method ?? 'GET',
            headers: {
              authorization: `Bearer ${accessToken}`,
              accept: 'application/json',
              ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...request.headers,
            },
            ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
            redirect: 'manual',
            signal,
          }),
          signal,
        );
      } catch (cause) {
        if (request.signal?.aborted) throw deadlinePassed(request.signal);
        if (attempt < maxRetries) {
          await sleep(backoff(attempt), request.signal);
          continue;
        }
        throw new AppError('provider_unavailable', 'Microsoft Graph could not be reached.', { cause });
      }
      if (response.ok) return response;
      if (request.acceptRedirect && response.status >= 301 && response.status <= 308) return response;
      const retryable = response.status === 429 || response.status === 503 || response.status === 504;
      if (retryable && attempt < maxRetries) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff(attempt);
        await response.body?.cancel();
        if (wait > maxRetryAfterMs) {
          throw new AppError(
            'provider_unavailable',
            'Microsoft Graph is throttling requests; try again later.',
            {
              cause: `Retry-After ${wait} ms`,
            },
          );
        }
        log.debug({ status: response.status, path: url.pathname, wait }, 'Graph throttled; retrying');
        await sleep(wait, request.signal);
        continue;
      }
      throw await toAppError(response, url, accessToken);
    }
  }

  async function toAppError(response: Response, url: URL, accessToken: string): Promise<AppError> {
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    const graphCode = body?.error?.code;
    const cause = {
      status: response.status,
      path: url.pathname,
      graphCode,
      graphMessage: body?.error?.message,
    };
    switch (response.status) {
      case 401: {
        const challenge = response.headers.get('www-authenticate') ?? undefined;
        const claims = insufficientClaimsOf(challenge);
        if (claims) {
          await options.onClaimsChallenge?.(accessToken, claims).catch((err: unknown) => {
            // The 401 still reaches the user; only the step-up sign-in will lack the claims.
            options.log.error({ err }, 'could not keep a Graph claims challenge');
          });
          return new GraphAuthError(
            401,
            'Your organisation asks you to sign in again (for example with multi-factor authentication) before this can continue.',
            challenge,
            'claims_challenge',
            options.resource,
          );
        }
        return new GraphAuthError(
          401,
          'Microsoft Graph did not accept the access token.',
          challenge,
          'consent_required',
          options.resource,
        );
      }
      case 403:
        return new AppError('forbidden', 'Microsoft Graph denied access to this resource.', { cause });
      case 404:
        return new AppError('not_found', 'Not found in Microsoft Graph.', { cause });
      case 400:
        return new AppError('bad_request', 'Microsoft Graph rejected the request.', { cause });
      default:
        return new AppError('provider_unavailable', 'Microsoft Graph is unavailable; try again later.', {
          cause,
        });
    }
  }

  const client: GraphClient = {
    request(accessToken, request) {
      return send(accessToken, urlOf(request), request);
    },

    async json<T>(accessToken: string, request: GraphRequest) {
      const response = await send(accessToken, urlOf(request), request);
      return (await response.json()) as T;
    },

    async collect<T>(accessToken: string, request: GraphRequest, maxPages = 50) {
      const items: T[] = [];
      let url: URL | undefined = urlOf(request);
      let page = { ...request };
      for (let pages = 0; url && pages < maxPages; pages += 1) {
        const body = (await (await send(accessToken, url, page)).json()) as {
          value?: T[];
          '@odata.nextLink'?: string;
        };
        items.push(...(body.value ?? []));
        const next = body['@odata.nextLink'];
        url = undefined;
        if (next) {
          const nextUrl = URL.canParse(next) ? new URL(next) : undefined;
          if (!nextUrl || nextUrl.origin !== origin) {
            throw new AppError(
              'provider_unavailable',
              'Microsoft Graph returned a next page on another host.',
              {
                cause: next,
              },
            );
          }
          url = nextUrl;
          // A POST collection (getMemberObjects) pages with GET, as Graph's nextLink carries the state.
          page = { ...request, method: 'GET' };
          delete page.body;
        }
      }
      return items;
    },

    async memberObjects(accessToken) {
      return client.collect<string>(accessToken, {
        method: 'POST',
        path: '/me/getMemberObjects',
        body: { securityEnabledOnly: false },
      });
    },

    myPhoto(accessToken) {
      return photoAt(accessToken, '/me/photo/$value');
    },

    userPhoto(accessToken, userId) {
      if (!GRAPH_ID_PATTERN.test(userId))
        throw new TypeError('GraphClient.userPhoto: userId must be a GUID.');
      return photoAt(accessToken, `/users/${userId}/photo/$value`);
    },

    async batch(accessToken, requests, batchOptions = {}) {
      if (requests.length > 20) throw new TypeError('GraphClient.batch: at most 20 requests per batch.');
      const answers = new Map<string, GraphBatchResponse>();
      let pending = [...requests];
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        const body = {
          requests: pending.map((r) => ({
            id: r.id,
            method: r.method ?? 'GET',
            url: batchUrlOf(r),
            ...(r.headers || r.body !== undefined
              ? {
                  headers: {
                    ...r.headers,
                    ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
                  },
                }
              : {}),
            ...(r.body === undefined ? {} : { body: r.body }),
          })),
        };
        const response = await send(accessToken, urlOf({ path: '/$batch' }), {
          method: 'POST',
          path: '/$batch',
          body,
          ...(batchOptions.signal ? { signal: batchOptions.signal } : {}),
        });
        const parsed = (await response.json()) as { responses?: GraphBatchResponse[] };
        const byId = new Map((parsed.responses ?? []).map((r) => [String(r.id), r]));
        const retry: GraphBatchRequest[] = [];
        let wait = 0;
        for (const request of pending) {
          const answer = byId.get(request.id) ?? {
            id: request.id,
            status: 502,
            headers: {},
            body: { error: { code: 'missingBatchResponse' } },
          };
          const retryable = [429, 503, 504].includes(answer.status);
          const after = retryAfterMs(headerOf(answer.headers, 'retry-after')) ?? backoff(attempt);
          if (retryable && attempt < maxRetries && after <= maxRetryAfterMs) {
            retry.push(request);
            wait = Math.max(wait, after);
          } else {
            answers.set(request.id, { ...answer, headers: answer.headers ?? {} });
          }
        }
        pending = retry;
        if (pending.length > 0) {
          log.debug({ ids: pending.map((r) => r.id), wait }, 'Graph batch throttled; retrying');
          await sleep(wait, batchOptions.signal);
        }
      }
      return requests.map((r) => answers.get(r.id)!);
    },
  };

  async function photoAt(accessToken: string, path: string): Promise<GraphPhoto | undefined> {
    try {
      const response = await send(accessToken, urlOf({ path }), {
        path,
        headers: { accept: 'image/*' },
      });
      const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
      if (!contentType.startsWith('image/')) {
        await response.body?.cancel();
        return undefined;
      }
      return { bytes: new Uint8Array(await response.arrayBuffer()), contentType };
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined;
      throw err;
    }
  }
  return client;
}

/** A batch sub-request's URL: relative to the version root, query encoded with %20 for spaces. */
function batchUrlOf(request: GraphBatchRequest): string {
  if (!request.path.startsWith('/') || request.path.startsWith('//')) {
    throw new TypeError(`GraphClient.batch: path ${JSON.stringify(request.path)} must start with "/".`);
  }
  const query = Object.entries(request.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return query ? `${request.path}?${query}` : request.path;
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | null {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return null;
}

/** Settles with `promise`, or rejects once `signal` aborts (a fetch that ignores its signal included). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function deadlinePassed(signal: AbortSignal) {
  return new AppError('provider_unavailable', 'Microsoft Graph did not answer in time.', {
    cause: signal.reason,
  });
}

/** `Retry-After`: seconds, or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(attempt: number) {
  return Math.min(4000, 250 * 2 ** attempt);
}
