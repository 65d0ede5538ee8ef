import type { Config } from '@gatehouse/config';
import { spaPaths } from '@gatehouse/contracts';
import type { Handler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { toResourceToken } from '../session/resource-token';
import { newSessionId, readSessionCookie, sessionCookie } from '../session/session-cookie';
import { initialSessionTimes } from '../session/session-middleware';
import type { ResourceToken, SessionRecord, SessionStore } from '../session/session-store';
import { grantsAll, type ResourceSpec } from '../session/token-manager';
import { userFromClaims } from '../users/user-claims';
import type { UserLookup } from '../users/user-lookup';
import { upsertUser } from '../users/user-repository';
import { forgetDenial, rememberDenial, rememberTenantDenial } from './access-denied';
import type { LoginTransactions } from './login-transaction';
import type { OidcClient, TokenSet } from './oidc';
import type { RoleCheck } from './role-check';
import { redirectForProviderError, type SignInRedirectConfig } from './sign-in-redirect';
import { answerFailedTransaction, type SignInRestartDeps } from './sign-in-restart';
import { isSilent, isSilentRefusal, redirectToLoginPage } from './silent-sign-in';
import { checkTenant } from './tenant-allow-list';

export interface CallbackDeps extends SignInRestartDeps {
  config: SignInRedirectConfig &
    Pick<
      Config,
      | 'OPENID_REUSE_TOKENS'
      | 'OPENID_AUDIENCE'
      | 'OPENID_ISSUER'
      | 'GATEHOUSE_EMULATOR'
      | 'SESSION_EXPIRY'
      | 'REFRESH_TOKEN_EXPIRY'
      | 'OPENID_NAME_CLAIM'
      | 'OPENID_EMAIL_CLAIM'
      | 'OPENID_USERNAME_CLAIM'
      | 'OPENID_ALLOWED_TENANTS'
    >;
  log: Logger;
  clock: Clock;
  oidc: OidcClient;
  transactions: LoginTransactions;
  roles: RoleCheck;
  store: SessionStore;
  database: DatabaseHandle;
  users: UserLookup;
  graphResource: ResourceSpec;
  /** Runs once the session exists, before the redirect (sharing resolves Entra groups). Errors are logged. */
  afterSignIn?(session: SessionRecord): Promise<void>;
}

/**
 * `GET /oauth/openid/callback`: finishes a sign-in.
 *
 * 1. The login transaction of this `state` is taken from its cookie (single use); an unknown or
 *    expired one restarts the sign-in once (`sign-in-restart.ts`), anything else is refused.
 * 2. The provider's answer is checked and the code redeemed with the PKCE verifier; the ID token is
 *    validated in full (signature included) by `oidc.redeemCode`.
 * 3. The organisation (`tid`) must be on OPENID_ALLOWED_TENANTS, when it is a list; then the role
 *    policy decides. A refused user gets no session and lands on the SPA's access-denied page naming
 *    their organisation, or the missing roles (or groups, by display name: `access-denied.ts`).
 * 4. The user is upserted by (tid, oid) or (iss, sub); a new session id is issued (any session the
 *    browser had is deleted: the id rotates at every sign-in) and the browser returns to `returnTo`.
 *
 * Every failure is a calm redirect to `/sign-in-error?code=…`, with the operator's fix in the log.
 */
export function createCallbackHandler(deps: CallbackDeps): Handler<AppEnv> {
  const { config, log } = deps;
  return async function callback(c) {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    const query = new URL(c.req.url).searchParams;
    const taken = deps.transactions.take(c, query.get('state') ?? undefined);
    if (!taken.ok) return answerFailedTransaction(c, deps, query, taken);
    const transaction = taken.transaction;

    let tokens: TokenSet & { idToken: string; claims: NonNullable<TokenSet['claims']> };
    try {
      tokens = await deps.oidc.redeemCode(query, transaction);
    } catch (err) {
      // prompt=none and the provider has no session for it: the login page, not an error.
      if (isSilent(transaction.state) && isSilentRefusal(err)) {
        return redirectToLoginPage(c, deps, err, transaction.returnTo);
      }
      return redirectForProviderError(c, deps, err);
    }
    const { claims } = tokens;

    // Before the role check, which may call Graph with a token of an organisation we do not serve.
    const tenant = checkTenant(config.OPENID_ALLOWED_TENANTS, claims);
    if (!tenant.allowed) {
      log.warn(
        { event: 'security', tid: tenant.tenant.tenantId, issuer: claims.iss },
        'sign-in refused: the organisation (tid) is not in OPENID_ALLOWED_TENANTS',
      );
      rememberTenantDenial(c, tenant.tenant);
      return c.redirect(new URL(spaPaths.accessDenied, config.DOMAIN_CLIENT).href, 302);
    }

    const minted: Record<string, ResourceToken> = {};
    let decision: Awaited<ReturnType<RoleCheck>>;
    try {
      decision = await deps.roles({
        claims,
        accessToken: tokens.accessToken,
        userInfo: () => deps.oidc.userInfo(tokens.accessToken, claims.sub),
        graphToken: async () => {
          // Groups overage: a Graph token from the refresh token; without one (token reuse off) the
          // sign-in's own access token, which Entra issues for Graph when the first scopes are Graph's.
          if (!tokens.refreshToken) return tokens.accessToken;
          const graph = await deps.oidc.refresh(tokens.refreshToken, {
            scope: deps.graphResource.scope,
            ...(deps.graphResource.claims ? { claims: deps.graphResource.claims } : {}),
          });
          if (graph.refreshToken) tokens.refreshToken = graph.refreshToken;
          minted[deps.graphResource.resource] = toResourceToken(graph, deps.graphResource, deps.clock);
          return graph.accessToken;
        },
      });
    } catch (err) {
      return redirectForProviderError(c, deps, err);
    }

    if (!decision.allowed) {
      log.info(
        { requiredRoles: decision.requiredRoles },
        'sign-in refused: the user has none of the required roles',
      );
      const url = new URL(spaPaths.accessDenied, config.DOMAIN_CLIENT);
      // Group names go by cookie (the page asks the BFF), so no link can put words on the page.
      if (decision.requiredGroups) rememberDenial(c, decision.requiredGroups);
      else {
        forgetDenial(c);
        url.searchParams.set('roles', decision.requiredRoles.join(','));
      }
      return c.redirect(url.href, 302);
    }

    // Entra issues the sign-in's token for Graph when the login scopes are Graph's: it serves as the
    // Graph token too (group membership is resolved right after), with no extra refresh.
    if (!minted[deps.graphResource.resource] && grantsAll(tokens.scope, deps.graphResource)) {
      minted[deps.graphResource.resource] = toResourceToken(tokens, deps.graphResource, deps.clock);
    }
    const user = await upsertUser(
      deps.database.db,
      userFromClaims(claims.iss, claims, config),
      deps.clock.now(),
    );
    deps.users.forget(user.id); // a changed name or email shows at once on this instance
    // Session fixation: whatever session this browser had ends; the new one gets a fresh id.
    const previous = readSessionCookie(c.req.header('cookie'));
    if (previous) await deps.store.delete(previous);

    const now = deps.clock.now();
    const times = initialSessionTimes(now, config);
    const session = await deps.store.create({
      id: newSessionId(),
      userId: user.id,
      issuer: claims.iss,
      ...(typeof claims.sid === 'string' ? { providerSid: claims.sid } : {}),
      roles: decision.roles,
      tokens: {
        idToken: tokens.idToken,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.expiresAt ?? now + 3600_000,
        accessTokenIssuedAt: tokens.issuedAt ?? now,
        // OPENID_REUSE_TOKENS off: the BFF keeps its own session only, no refresh token.
        ...(config.OPENID_REUSE_TOKENS && tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      },
      resourceTokens: config.OPENID_REUSE_TOKENS ? minted : {},
      ...times,
    });
    log.info({ user: user.id }, 'signed in');
    await deps.afterSignIn?.(session).catch((err: unknown) => {
      log.warn({ user: user.id, err }, 'after-sign-in hook failed');
    });
    c.header('Set-Cookie', sessionCookie(session.id, { absoluteExpiresAt: session.absoluteExpiresAt, now }), {
      append: true,
    });
    return c.redirect(new URL(transaction.returnTo, config.DOMAIN_CLIENT).href, 302);
  };
}
