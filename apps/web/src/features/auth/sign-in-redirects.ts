import type { RedirectRequest } from '@azure/msal-browser';
import { spaPaths } from '@gatehouse/contracts';
import { paths } from '../../config/paths';
import { sameOriginPath } from '../../lib/return-to';

export type PageLocation = Pick<Location, 'origin' | 'host' | 'pathname' | 'search' | 'hash'>;

/**
 * The `prompt` values forwarded to the BFF's sign-in. Not `create` (the BFF refuses it), nor `none`: the
 * BFF takes `prompt=none` for a silent start, but `loginRedirect` is an interactive one.
 */
const forwardedPrompts = ['select_account', 'login', 'consent'] as const;
/** SPA pages that make no sense to come back to after signing in. */
const authPages = new Set<string>([spaPaths.login, spaPaths.accessDenied, spaPaths.signInError]);

/**
 * The BFF's sign-in URL for an msal redirect request: back to `redirectStartPage` when it is
 * same-origin, else to the current page (the home page from the sign-in pages themselves).
 * `droppedPrompt` names a `prompt` the BFF does not take, so the caller can say so.
 */
export function bffSignInHref(
  request: RedirectRequest | undefined,
  location: PageLocation,
): { href: string; droppedPrompt: string | null } {
  const current = authPages.has(location.pathname)
    ? paths.home.getHref()
    : `${location.pathname}${location.search}${location.hash}`;
  const returnTo =
    (request?.redirectStartPage && sameOriginPath(request.redirectStartPage, location.origin)) || current;
  const prompt = forwardedPrompts.find((value) => value === request?.prompt);
  const href = paths.bffLogin.getHref(prompt ? { returnTo, prompt } : { returnTo });
  return { href, droppedPrompt: request?.prompt && !prompt ? request.prompt : null };
}

/**
 * Where the browser goes after the BFF ended the session: a same-origin path (`/login` learns not to
 * auto-sign-in again), or an http(s) URL such as the provider's end-session page. Null for anything
 * else, which the caller replaces with the login page.
 */
export function afterLogoutHref(redirect: string, origin: string): string | null {
  const path = sameOriginPath(redirect, origin);
  if (path !== null) {
    const url = new URL(path, origin);
    if (url.pathname === spaPaths.login && !url.searchParams.has('signedOut')) {
      return paths.login.getHref({ signedOut: true });
    }
    return path;
  }
  try {
    const { protocol } = new URL(redirect);
    if (protocol === 'https:' || protocol === 'http:') return redirect;
  } catch {
    // not a URL at all
  }
  return null;
}
