import type { Config } from '@gatehouse/config';
import type { Handler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import type { LoginTransactions } from './login-transaction';
import type { OidcClient } from './oidc';
import { safeReturnTo } from './return-to';
import { redirectForProviderError, type SignInRedirectConfig } from './sign-in-redirect';

export interface LoginDeps {
  config: SignInRedirectConfig & Pick<Config, 'OPENID_REUSE_TOKENS' | 'OPENID_AUDIENCE'>;
  log: Logger;
  oidc: OidcClient;
  transactions: LoginTransactions;
}

/** `prompt` values the SPA may ask for: re-consent, another account, a fresh sign-in. */
const allowedPrompts = new Set(['login', 'select_account', 'consent']);

/** The scopes of the sign-in: OPENID_SCOPE + OPENID_GRAPH_SCOPES, plus `offline_access` when the BFF keeps a refresh token. */
export function signInScopes(config: Pick<Config, 'loginScopes' | 'OPENID_REUSE_TOKENS'>): string[] {
  const scopes = [...config.loginScopes];
  if (config.OPENID_REUSE_TOKENS && !scopes.some((s) => s.toLowerCase() === 'offline_access')) {
    scopes.push('offline_access');
  }
  return scopes;
}

/**
 * `GET /oauth/openid?returnTo=/path&prompt=…`: starts a sign-in. A new transaction (state, nonce,
 * PKCE verifier, returnTo) goes into its own encrypted cookie, then the browser goes to the
 * provider. `returnTo` must be a same-origin path; anything else falls back to `/`.
 */
export function createLoginHandler(deps: LoginDeps): Handler<AppEnv> {
  const scope = signInScopes(deps.config);
  const audience = deps.config.OPENID_AUDIENCE[0];
  return async function login(c) {
    const requested = c.req.query('returnTo');
    const returnTo = safeReturnTo(requested);
    if (requested !== undefined && returnTo !== requested) {
      deps.log.warn(
        { returnTo: requested.slice(0, 200) },
        'login: ignored a returnTo that is not a same-origin path',
      );
    }
    const prompt = c.req.query('prompt');
    const secrets = deps.oidc.randomLoginSecrets();
    let url: URL;
    try {
      url = await deps.oidc.authorizationUrl({
        secrets,
        scope,
        ...(prompt && allowedPrompts.has(prompt) ? { prompt } : {}),
        // LibreChat sends the first OPENID_AUDIENCE as `audience` (Auth0 and similar need it).
        ...(audience ? { extra: { audience } } : {}),
      });
    } catch (err) {
      return redirectForProviderError(c, deps, err);
    }
    deps.transactions.save(c, { ...secrets, returnTo });
    c.header('Cache-Control', 'no-store');
    return c.redirect(url.href, 302);
  };
}
