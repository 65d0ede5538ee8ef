import type { Config } from '@gatehouse/config';
import { spaPaths } from '@gatehouse/contracts';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { OidcError } from './oidc-error';

/**
 * `prompt=none`: "sign me in if the provider still has a session, else tell me". The sign-in's
 * state carries a mark, so the callback knows the provider's refusal was an answer to a silent
 * attempt (the mark survives a lost transaction cookie; forging it can only turn an error page
 * into the login page).
 */
const SILENT_MARK = '.silent';

export const markSilent = (state: string): string => state + SILENT_MARK;
export const isSilent = (state: string): boolean => state.endsWith(SILENT_MARK);

/** The answers a provider gives when a silent sign-in is not possible (OpenID Connect Core §3.1.2.6). */
const silentRefusals = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);

/** Whether `err` is the provider saying that a silent sign-in needs the user. */
export function isSilentRefusal(err: unknown): err is OidcError {
  return err instanceof OidcError && silentRefusals.has(err.provider.oauthError ?? '');
}

/**
 * The provider has no session to sign in with silently: not an error, the login page. The SPA reads
 * `silentSignIn=<the provider's answer>` and offers (or, with OPENID_AUTO_REDIRECT, starts) an
 * interactive sign-in back to `returnTo`.
 */
export function redirectToLoginPage(
  c: Context,
  deps: { config: Pick<Config, 'DOMAIN_CLIENT'>; log: Logger },
  err: OidcError,
  returnTo: string,
): Response {
  const answer = err.provider.oauthError ?? 'login_required';
  deps.log.info({ answer, aadsts: err.provider.aadsts }, 'silent sign-in (prompt=none) needs the user');
  const url = new URL(spaPaths.login, deps.config.DOMAIN_CLIENT);
  url.searchParams.set('returnTo', returnTo);
  url.searchParams.set('silentSignIn', answer);
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.href, 302);
}
