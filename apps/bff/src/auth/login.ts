import { type Config, isEntraIssuer, scopeResource } from '@gatehouse/config';
import type { Handler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import { AppError } from '../http/errors';
import { readSessionCookie } from '../session/session-cookie';
import type { SessionStore } from '../session/session-store';
import type { ClaimsChallenges } from './claims-challenge';
import { claimsParameter } from './claims-parameter';
import type { LoginTransactions } from './login-transaction';
import type { OidcClient } from './oidc';
import { safeReturnTo } from './return-to';
import { redirectForProviderError, type SignInRedirectConfig } from './sign-in-redirect';
import { markSilent } from './silent-sign-in';

export interface LoginDeps {
  config: SignInRedirectConfig &
    Pick<Config, 'OPENID_REUSE_TOKENS' | 'OPENID_AUDIENCE' | 'OPENID_ISSUER' | 'GATEHOUSE_EMULATOR'>;
  log: Logger;
  oidc: OidcClient;
  transactions: LoginTransactions;
  store: Pick<SessionStore, 'get'>;
  claimsChallenges: ClaimsChallenges;
  clock: { now(): number };
}

/**
 * `prompt` values a sign-in may ask for: `none` (silently, if the provider still has a session),
 * a fresh sign-in, another account, re-consent.
 */
export const allowedPrompts = ['none', 'login', 'select_account', 'consent'] as const;

/** The scopes of the sign-in: OPENID_SCOPE + OPENID_GRAPH_SCOPES, plus `offline_access` when the BFF keeps a refresh token. */
export function signInScopes(config: Pick<Config, 'loginScopes' | 'OPENID_REUSE_TOKENS'>): string[] {
  const scopes = [...config.loginScopes];
  if (config.OPENID_REUSE_TOKENS && !scopes.some((s) => s.toLowerCase() === 'offline_access')) {
    scopes.push('offline_access');
  }
  return scopes;
}

/**
 * The authorize request's parameters beyond the protocol's own, for every sign-in (a start or a
 * restart): the first OPENID_AUDIENCE as `audience`, as LibreChat sends it (Auth0 and similar need
 * it), and `claims`: the challenge the signed-in session's last refresh or Graph call left (never one
 * sent by the browser), merged with the CAE capability; else the capability alone when the sign-in
 * asks for Graph, so that the code's Graph token is CAE-capable (`xms_cc`) before its first refresh
 * too. Other providers get no `claims`.
 */
export async function authorizeExtras(
  deps: Pick<LoginDeps, 'store' | 'claimsChallenges' | 'clock'> & {
    config: Pick<Config, 'loginScopes' | 'OPENID_AUDIENCE' | 'OPENID_ISSUER' | 'GATEHOUSE_EMULATOR'>;
  },
  cookieHeader: string | undefined,
): Promise<Record<string, string> | undefined> {
  const audience = deps.config.OPENID_AUDIENCE[0];
  const id = readSessionCookie(cookieHeader);
  const session = id ? await deps.store.get(id) : undefined;
  const live = session !== undefined && session.absoluteExpiresAt > deps.clock.now();
  const challenge = live ? deps.claimsChallenges.pendingFor(session) : undefined;
  const claims = challenge || asksEntraForGraph(deps.config) ? claimsParameter(challenge) : undefined;
  return audience || claims
    ? { ...(audience ? { audience } : {}), ...(claims ? { claims } : {}) }
    : undefined;
}

/**
 * Whether the sign-in asks Entra (or the emulator standing in for it) for a Graph token. A bare scope
 * such as `groups` or `roles` reads as Graph to Entra but not to another provider, which must not get
 * Entra's `claims`.
 */
function asksEntraForGraph(
  config: Pick<Config, 'loginScopes' | 'OPENID_ISSUER' | 'GATEHOUSE_EMULATOR'>,
): boolean {
  const entra =
    config.GATEHOUSE_EMULATOR ||
    (URL.canParse(config.OPENID_ISSUER) && isEntraIssuer(new URL(config.OPENID_ISSUER)));
  return entra && config.loginScopes.some((s) => scopeResource(s) === 'graph');
}

/**
 * `GET /oauth/openid?returnTo=/path&prompt=…`: starts a sign-in. A new transaction (state, nonce,
 * PKCE verifier, returnTo) goes into its own encrypted cookie, then the browser goes to the
 * provider. `returnTo` must be a same-origin path; anything else falls back to `/`. `prompt` is one
 * of `allowedPrompts` (another value is a 400 naming it); with `none`, the provider's "needs the
 * user" answer lands on the SPA's login page (`silent-sign-in.ts`).
 */
export function createLoginHandler(deps: LoginDeps): Handler<AppEnv> {
  const scope = signInScopes(deps.config);
  return async function login(c) {
    const requested = c.req.query('returnTo');
    const returnTo = safeReturnTo(requested);
    if (requested !== undefined && returnTo !== requested) {
      deps.log.warn(
        { returnTo: requested.slice(0, 200) },
        'login: ignored a returnTo that is not a same-origin path',
      );
    }
    const prompt = c.req.query('prompt') || undefined;
    if (prompt !== undefined && !(allowedPrompts as readonly string[]).includes(prompt)) {
      throw new AppError(
        'invalid_request',
        `prompt: must be one of ${allowedPrompts.join(', ')} (or left out), got "${prompt.slice(0, 40)}".`,
      );
    }
    const extra = await authorizeExtras(deps, c.req.header('cookie'));
    const secrets = deps.oidc.randomLoginSecrets();
    if (prompt === 'none') secrets.state = markSilent(secrets.state);
    let url: URL;
    try {
      url = await deps.oidc.authorizationUrl({
        secrets,
        scope,
        ...(prompt ? { prompt } : {}),
        ...(extra ? { extra } : {}),
      });
    } catch (err) {
      return redirectForProviderError(c, deps, err);
    }
    deps.transactions.save(c, { ...secrets, returnTo });
    c.header('Cache-Control', 'no-store');
    return c.redirect(url.href, 302);
  };
}
