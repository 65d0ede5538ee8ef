import type { EmulatorContext } from '../../context';
import type { SeedApplication, SeedUser } from '../../seed/types';
import type { Grant } from '../grant-store';
import { errors } from '../oauth-error';
import type { OidcScope, ParsedScope, Resource } from '../resources';

export interface TokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface IssueInput {
  app: SeedApplication;
  user: SeedUser;
  grant: Grant;
  /** The effective scope of this request (the token request's `scope`, else the original grant's). */
  parsed: ParsedScope;
  /** True when the scope came from this token request: several resources are then refused (AADSTS28000). */
  explicitScope: boolean;
  nonce?: string | undefined;
  /** Rotate into this refresh-token family (refresh grant); a new family otherwise. */
  family?: string;
  issueRefreshToken: boolean;
  clientInfo: boolean;
  /** Client capabilities of the token request's `claims` parameter (`cp1`: CAE-capable). */
  clientCapabilities?: string[];
}

/**
 * Mints the token response for one resource: the first resource of the scope (Graph when there is none),
 * with the consented scopes; an ID token when `openid` is in scope; a new refresh token when allowed.
 */
export async function issueTokens(ctx: EmulatorContext, input: IssueInput): Promise<TokenResponse> {
  const { app, user, grant, parsed } = input;
  if (input.explicitScope && parsed.resources.length > 1) throw errors.multipleResources();
  const requested = parsed.resources[0] ?? { resource: ctx.resources.graph, scopes: [] as string[] };
  const scopes = grantedScopes(
    ctx,
    app,
    user.id,
    requested.resource,
    requested.scopes,
    parsed.resources.length === 0,
  );
  const resourceScopes =
    requested.resource.kind === 'graph' ? [...scopes, ...oidcInScp(parsed.oidc)] : scopes;

  const access = await ctx.tokens.accessToken({
    app,
    user,
    sessionId: grant.sessionId,
    authTime: grant.authTime,
    resource: requested.resource,
    scopes: resourceScopes,
    ...(grant.acrs?.length ? { acrs: grant.acrs } : {}),
    ...(input.clientCapabilities?.length ? { clientCapabilities: input.clientCapabilities } : {}),
  });
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: access.scope,
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (parsed.oidc.has('openid')) {
    response.id_token = await ctx.tokens.idToken({
      app,
      user,
      sessionId: grant.sessionId,
      authTime: grant.authTime,
      oidc: parsed.oidc,
      nonce: input.nonce,
    });
  }
  if (input.issueRefreshToken) {
    response.refresh_token = ctx.grants.issueRefreshToken(grant, ctx.clock(), input.family).token;
  }
  if (input.clientInfo) {
    response.client_info = Buffer.from(
      JSON.stringify({ uid: user.id, utid: (ctx.directory.tenantOf(user.id) ?? ctx.directory.tenant).id }),
    ).toString('base64url');
  }
  return response;
}

/**
 * The scopes the user may have for this resource: admin consent plus the user's own. `.default` means
 * all of them; a named scope without consent is AADSTS65001, the signal to send the user back to authorize.
 */
function grantedScopes(
  ctx: EmulatorContext,
  app: SeedApplication,
  userId: string,
  resource: Resource,
  requested: string[],
  implicitGraph: boolean,
): string[] {
  const granted = [
    ...(app.consentedScopes[resource.key] ?? []),
    ...ctx.grants.userConsent(userId, app.clientId, resource.key),
  ];
  const unique = [...new Map(granted.map((s) => [s.toLowerCase(), s])).values()];
  if (implicitGraph) {
    // Only OIDC scopes were asked for: Entra still returns a Graph token, for User.Read when consented.
    return unique.filter((s) => s.toLowerCase() === 'user.read');
  }
  if (requested.includes('.default')) {
    if (unique.length === 0) throw errors.consentRequired(app.displayName, app.clientId);
    return unique;
  }
  const have = new Set(unique.map((s) => s.toLowerCase()));
  if (requested.some((s) => !have.has(s.toLowerCase())))
    throw errors.consentRequired(app.displayName, app.clientId);
  return requested;
}

function oidcInScp(oidc: ReadonlySet<OidcScope>): string[] {
  return [...oidc].filter((s) => s !== 'offline_access');
}
