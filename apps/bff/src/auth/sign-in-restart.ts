import type { Context, MiddlewareHandler } from 'hono';
import { authorizeExtras, type LoginDeps, signInScopes } from './login';
import { isRestart, markRestart, type TakeResult } from './login-transaction';
import { redirectForProviderError, redirectToSignInError } from './sign-in-redirect';

export interface SignInRestartDeps extends LoginDeps {
  /**
   * The sign-in rate limit. A callback that continues an attempt was counted when the attempt
   * started; a callback without one counts as a sign-in of its own (a restart starts one).
   */
  signInLimit?: MiddlewareHandler | undefined;
}

type Failed = Exclude<TakeResult, { ok: true }>;

/**
 * A callback whose login transaction is unknown or expired (a bookmarked provider page, a sign-in
 * finished in another tab, a long wait on the provider's page): the sign-in starts again ONCE,
 * back to the original `returnTo` when the expired attempt still tells it. Its state carries a
 * mark, so a second failure shows the error page instead of looping.
 *
 * The code in this response is never redeemed: it belongs to an attempt this browser cannot prove
 * it started (a login-CSRF link restarts the victim's own sign-in, nothing more). Forged, replayed
 * and tampered responses, provider errors and already restarted attempts get the error page.
 */
export function answerFailedTransaction(
  c: Context,
  deps: SignInRestartDeps,
  query: URLSearchParams,
  failure: Failed,
): Promise<Response> {
  return countAsSignIn(c, deps.signInLimit, async () => {
    const state = query.get('state') ?? '';
    const restartable =
      (failure.reason === 'not_found' || failure.reason === 'expired') &&
      query.has('code') &&
      !query.has('error') &&
      !isRestart(state);
    if (restartable) {
      const returnTo = failure.reason === 'expired' ? failure.returnTo : '/';
      deps.log.info({ reason: failure.reason }, 'sign-in restarted: the login transaction was gone');
      return restartSignIn(c, deps, returnTo);
    }
    return redirectToSignInError(
      c,
      deps,
      { code: 'invalid_state', hint: hintFor(failure, state) },
      {
        reason: failure.reason,
        ...(isRestart(state) ? { restarted: true } : {}),
      },
    );
  });
}

function hintFor(failure: Failed, state: string): string {
  if (isRestart(state) && (failure.reason === 'not_found' || failure.reason === 'expired')) {
    return 'The sign-in was restarted once and failed again: this browser may be blocking cookies for this site, or the clocks disagree.';
  }
  switch (failure.reason) {
    case 'replayed':
      return 'This sign-in response was already used (a replayed callback).';
    case 'expired':
      return 'The sign-in took longer than 10 minutes; start again.';
    default:
      return 'No sign-in was started in this browser for this response (missing, tampered or foreign state).';
  }
}

/** A new attempt, as `/oauth/openid` starts one, with the restart mark on its state. */
async function restartSignIn(c: Context, deps: LoginDeps, returnTo: string): Promise<Response> {
  const secrets = deps.oidc.randomLoginSecrets();
  secrets.state = markRestart(secrets.state);
  // Without the first attempt's `prompt`: the user has just been through the provider's page, so
  // `login`, `select_account` or `consent` again would only ask them twice.
  const extra = await authorizeExtras(deps, c.req.header('cookie'));
  let url: URL;
  try {
    url = await deps.oidc.authorizationUrl({
      secrets,
      scope: signInScopes(deps.config),
      ...(extra ? { extra } : {}),
    });
  } catch (err) {
    return redirectForProviderError(c, deps, err);
  }
  deps.transactions.save(c, { ...secrets, returnTo });
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.href, 302);
}

/** Runs `answer` behind the rate limiter (which answers 429 itself once the quota is used). */
async function countAsSignIn(
  c: Context,
  limit: MiddlewareHandler | undefined,
  answer: () => Promise<Response>,
): Promise<Response> {
  if (!limit) return answer();
  let response: Response | undefined;
  const refused = await limit(c, async () => {
    response = await answer();
  });
  return refused ?? response!;
}
