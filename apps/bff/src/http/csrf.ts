import { csrfHeader } from '@gatehouse/contracts';
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors';
import { readHeader } from './request-header';

export interface CsrfOptions {
  /**
   * Origins allowed to make state-changing calls: `DOMAIN_SERVER` and `DOMAIN_CLIENT` (the SPA may
   * be served from its own origin). Normalised to `scheme://host[:port]`.
   */
  allowedOrigins: readonly string[];
  /**
   * GET paths a browser reaches without script, so without the header: a download link, an
   * `EventSource`. They pass without `X-CSRF` only when the browser says the request is its own
   * (`Sec-Fetch-Site: same-origin`, or `none` for a typed URL or bookmark); a cross-site or unlabelled
   * request still needs the header. Keep the list to read-only routes.
   */
  navigableGets?: readonly RegExp[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

/**
 * CSRF defence for `/api/*` (mount it there), in two layers:
 *
 * 1. Every request must carry `X-CSRF: 1`. A cross-origin page cannot add a custom header without
 *    a CORS preflight, which the BFF never answers, and a form or link cannot send one at all.
 * 2. State-changing methods must also come from our own origin: `Origin` must be one of
 *    `allowedOrigins`; without `Origin`, `Sec-Fetch-Site` must be `same-origin` or `none`. A request
 *    with neither comes from something that is not a browser, and so carries no ambient cookie to
 *    abuse; the header rule still applies to it.
 *
 * Failures throw 401 `{ error: 'csrf', reason: 'missing_header' | 'cross_site', message }` for
 * `app.onError` to render, never a redirect.
 */
export function csrf(options: CsrfOptions): MiddlewareHandler {
  if (!options || !Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
    throw new TypeError('csrf: allowedOrigins must list DOMAIN_SERVER (and DOMAIN_CLIENT).');
  }
  const allowed = new Set(
    options.allowedOrigins.map((value) => {
      try {
        return new URL(value).origin;
      } catch {
        throw new TypeError(`csrf: ${JSON.stringify(value)} in allowedOrigins is not an absolute URL.`);
      }
    }),
  );
  const headerName = csrfHeader.name.toLowerCase();
  const navigable = options.navigableGets ?? [];
  const isNavigableGet = (method: string, path: string, fetchSite: string | undefined) =>
    method === 'GET' &&
    fetchSite !== undefined &&
    SAME_SITE_FETCH.has(fetchSite) &&
    navigable.some((pattern) => pattern.test(path));

  // Not async: returning next()'s promise saves a step on every /api call.
  return function csrf(c, next) {
    if (
      readHeader(c, headerName) !== csrfHeader.value &&
      !isNavigableGet(c.req.method, c.req.path, readHeader(c, 'sec-fetch-site'))
    ) {
      throw new AppError(
        'csrf',
        `This API needs the request header ${csrfHeader.name}: ${csrfHeader.value}.`,
        {
          reason: 'missing_header',
        },
      );
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = readHeader(c, 'origin');
      const fetchSite = readHeader(c, 'sec-fetch-site');
      const sameOrigin =
        origin !== undefined
          ? allowed.has(origin)
          : fetchSite === undefined || SAME_SITE_FETCH.has(fetchSite);
      if (!sameOrigin) {
        throw new AppError('csrf', 'This request came from another site and was refused.', {
          reason: 'cross_site',
        });
      }
    }
    return next();
  };
}
