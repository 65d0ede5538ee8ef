import type { Context } from 'hono';
import { htmlPage, originOf } from '../http';
import { formPostPage } from '../sign-in/pages';
import type { AuthorizeRequest } from './authorize-request';

/** Where and how an authorization response goes: the app's redirect URI, in its response mode. */
export type ResponseTarget = Pick<AuthorizeRequest, 'redirectUri' | 'responseMode'> &
  Partial<Pick<AuthorizeRequest, 'state'>>;

/** Pages that post back to the app must be allowed to by their CSP. */
export function formActionsFor(request: Pick<AuthorizeRequest, 'redirectUri'>): string[] {
  const origin = originOf(request.redirectUri);
  return origin ? [origin] : [];
}

/**
 * Sends the response parameters in the request's response mode: `query` or `fragment` by a 302 to
 * the redirect URI, `form_post` by an auto-submitting form.
 */
export function sendAuthorizationResponse(
  c: Context,
  target: ResponseTarget,
  fields: Record<string, string>,
  tenantName: string,
): Response | Promise<Response> {
  if (target.responseMode === 'form_post') {
    return htmlPage(c, (nonce) => formPostPage({ nonce, tenantName, action: target.redirectUri, fields }), {
      formActions: formActionsFor(target),
    });
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(fields).toString();
  } else {
    for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value);
  }
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.toString(), 302);
}
