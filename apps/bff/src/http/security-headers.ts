import type { Config } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';
import type { MiddlewareHandler } from 'hono';
import { asMiddleware } from './compose-layers';
import { defaultResponseHeaders } from './node-response';

export type SecurityHeadersConfig = Pick<
  Config,
  | 'DOMAIN_SERVER'
  | 'ENABLE_SHAREPOINT_FILEPICKER'
  | 'SHAREPOINT_BASE_URL'
  | 'OPENID_ISSUER'
  | 'OPENID_CALLBACK_URL'
>;

export interface SecurityHeadersOptions {
  config: SecurityHeadersConfig;
  /** The front-channel logout route, which the provider loads in an iframe (default: the contract's). */
  frontChannelLogoutPath?: string;
}

/**
 * Headers for every response (headers a route set itself are kept):
 *
 * - CSP for the SPA: scripts, styles, fonts and XHR from our origin only (no inline script);
 *   images also from data:/blob: (previews); frames only the SharePoint site when the picker is on;
 *   `frame-ancestors 'none'` (nobody frames Gatehouse), `object-src 'none'`, `base-uri 'none'`.
 *   The front-channel logout route is the one page the provider may frame.
 * - `Referrer-Policy: no-referrer` on the sign-in callback (its URL holds the code and state), and
 *   `strict-origin-when-cross-origin` elsewhere.
 * - `X-Content-Type-Options: nosniff`, `Cross-Origin-Opener-Policy: same-origin`,
 *   `Cross-Origin-Resource-Policy: same-origin`, `X-Frame-Options` for old browsers.
 * - `Strict-Transport-Security` only when DOMAIN_SERVER is https (never on http://localhost).
 * - `Cache-Control: no-store` on `/api/*` and `/oauth/*` unless the route chose its own.
 *
 * `/api/*` answers are data, never documents, so they get the short set that matters for them
 * (`default-src 'none'; frame-ancestors 'none'`, nosniff, no-store, HSTS): each header costs on the
 * hot path, and COOP, Referrer-Policy or a document CSP do nothing for a JSON body.
 *
 * Every set is built once, when the app is built; a request only picks one by path. On
 * @hono/node-server they are set on the Node response before the route runs (see `nodeResponse`),
 * so a route's `c.json()` keeps node-server's fast path.
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const headersFor = createSecurityHeaderSets(options);
  return asMiddleware(function securityHeaders(c, next) {
    return defaultResponseHeaders(c, next, headersFor(c.req.path));
  });
}

export type HeaderList = readonly (readonly [string, string])[];

/** The sets `securityHeaders()` sends, built once: returns the one for a request path. */
export function createSecurityHeaderSets(options: SecurityHeadersOptions): (path: string) => HeaderList {
  const { config } = options;
  const frontChannelPath = options.frontChannelLogoutPath ?? routes.frontChannelLogout;
  const callbackPath = new URL(config.OPENID_CALLBACK_URL, config.DOMAIN_SERVER).pathname;

  const pickerOrigin =
    config.ENABLE_SHAREPOINT_FILEPICKER && config.SHAREPOINT_BASE_URL
      ? originOf(config.SHAREPOINT_BASE_URL, 'SHAREPOINT_BASE_URL')
      : undefined;
  const providerOrigin = config.OPENID_ISSUER ? originOf(config.OPENID_ISSUER, 'OPENID_ISSUER') : undefined;

  const csp = (frameAncestors: string) =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      `frame-src ${pickerOrigin ?? "'none'"}`,
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      // The picker host POSTs its options and token into the picker's iframe (File Picker v8).
      `form-action 'self'${pickerOrigin ? ` ${pickerOrigin}` : ''}`,
      `frame-ancestors ${frameAncestors}`,
    ].join('; ');

  const common: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
  ];
  if (new URL(config.DOMAIN_SERVER).protocol === 'https:') {
    common.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  }
  const build = (path: 'default' | 'callback' | 'frontchannel') => {
    const headers: [string, string][] = [
      ['Content-Security-Policy', csp(path === 'frontchannel' && providerOrigin ? providerOrigin : "'none'")],
      ['Referrer-Policy', path === 'callback' ? 'no-referrer' : 'strict-origin-when-cross-origin'],
      ...common,
    ];
    if (path !== 'frontchannel') headers.push(['X-Frame-Options', 'DENY']);
    return headers;
  };
  const underOAuth = (path: string) => path.startsWith('/oauth/');
  const withNoStore = (headers: [string, string][], path: string) =>
    Object.freeze(
      underOAuth(path) ? [...headers, ['Cache-Control', 'no-store'] as [string, string]] : headers,
    );
  const sets = {
    api: Object.freeze<[string, string][]>([
      ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
      ['X-Content-Type-Options', 'nosniff'],
      ['Cache-Control', 'no-store'],
      ...common.filter(([name]) => name === 'Strict-Transport-Security'),
    ]),
    callback: withNoStore(build('callback'), callbackPath),
    frontchannel: withNoStore(build('frontchannel'), frontChannelPath),
    page: Object.freeze(build('default')),
    oauth: withNoStore(build('default'), '/oauth/'),
  };

  return (path) =>
    path.startsWith('/api/')
      ? sets.api
      : path === callbackPath
        ? sets.callback
        : path === frontChannelPath
          ? sets.frontchannel
          : underOAuth(path)
            ? sets.oauth
            : sets.page;
}

function originOf(value: string, variable: string): string {
  try {
    return new URL(value).origin;
  } catch {
    throw new TypeError(`securityHeaders: ${variable} ${JSON.stringify(value)} is not an absolute URL.`);
  }
}
