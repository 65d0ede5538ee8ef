import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { opaque } from '../util/ids';
import type { OAuthError } from './oauth-error';

/** Reads parameters from the query string and, for a form POST, the body (body wins, as in Entra). */
export async function readParams(c: Context): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URL(c.req.url).searchParams) params[key] = value;
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const body = await c.req.parseBody();
      for (const [key, value] of Object.entries(body)) if (typeof value === 'string') params[key] = value;
    }
  }
  return params;
}

/** An HTML page with a per-response CSP nonce, never cached and never framed. */
export function htmlPage(
  c: Context,
  render: (nonce: string) => string,
  options: { status?: 200 | 400 | 404; formActions?: string[]; frameSources?: string[] } = {},
) {
  const nonce = opaque(16);
  const formAction = ["'self'", ...(options.formActions ?? [])].join(' ');
  const frameSrc = options.frameSources?.length ? options.frameSources.join(' ') : "'none'";
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; form-action ${formAction}; frame-src ${frameSrc}; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header('Cache-Control', 'no-store');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(render(nonce), options.status ?? 200);
}

/** An OAuth error as Entra's JSON body, with the headers Entra sends on token responses. */
export function jsonError(c: Context, error: OAuthError, now: number) {
  c.header('Cache-Control', 'no-store, no-cache');
  c.header('Pragma', 'no-cache');
  if (error.error === 'invalid_client' && error.status === 401)
    c.header('WWW-Authenticate', 'Basic realm="emulator"');
  return c.json(error.body(now), error.status as ContentfulStatusCode);
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
