import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { nameGuid } from '../../util/ids';
import { errors, OAuthError } from '../oauth-error';
import { GRAPH_APP_ID, graphResourceIn } from '../resources';
import type { TenantSegment } from '../tenant-segment';
import type { TokenResponse } from './issue-tokens';

/** The Graph `.default` scopes Entra accepts for an app-only token, with the Graph of `resource`'s cloud. */
const graphDefaultScopes = (resource: string) =>
  new Set(
    [`${resource}/.default`, `${resource}//.default`, `${GRAPH_APP_ID}/.default`].map((s) => s.toLowerCase()),
  );

/** The object id of an app's service principal in the tenant (stable per client id). */
export function servicePrincipalId(app: SeedApplication): string {
  return nameGuid(`service-principal:${app.clientId}`);
}

/**
 * `grant_type=client_credentials` for Microsoft Graph, as Entra answers it: a confidential client
 * only (AADSTS7000218), the scope must be the resource's `/.default` (AADSTS1002012), and the
 * app-only token (`idtyp: app`, no user) carries the admin-consented application permissions as
 * `roles` (none consented: a token without roles, which Graph then refuses).
 */
export async function clientCredentialsGrant(
  ctx: EmulatorContext,
  app: SeedApplication,
  params: Record<string, string>,
  at: TenantSegment,
): Promise<TokenResponse> {
  // Only the home tenant has the app's service principal: a multi-tenant app was never installed in
  // another tenant of the emulator, which Entra answers with AADSTS700016.
  if (at.kind === 'tenant' && at.tenant.id !== ctx.directory.tenant.id) {
    throw errors.appNotFound(app.clientId, at.tenant.id);
  }
  // No user names a tenant here: on `common` or `organizations` Entra has none to issue in (MSAL
  // refuses those authorities for client credentials for the same reason).
  if (at.kind === 'independent') throw errors.noTenantForAppOnly();
  if (app.secrets.length === 0 && (app.certificates ?? []).length === 0) {
    throw new OAuthError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      { status: 401 },
    );
  }
  const scope = params.scope?.trim();
  if (!scope) throw errors.missingParameter('scope');
  const graphResource = graphResourceIn(ctx.settings.cloud);
  if (!graphDefaultScopes(graphResource).has(scope.toLowerCase())) {
    throw new OAuthError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const iat = Math.floor(ctx.clock() / 1000);
  const expiresIn = ctx.settings.accessTokenLifetimeSeconds;
  const principal = servicePrincipalId(app);
  const roles = app.applicationPermissions?.graph ?? [];
  const token = await ctx.keys.sign({
    aud: graphResource,
    iss: ctx.tokens.v1Issuer(),
    iat,
    nbf: iat,
    exp: iat + expiresIn,
    tid: ctx.directory.tenant.id,
    oid: principal,
    sub: principal,
    appid: app.clientId,
    appidacr: '1',
    app_displayname: app.displayName,
    idtyp: 'app',
    ver: '1.0',
    uti: randomBytes(16).toString('base64url'),
    ...(roles.length > 0 ? { roles } : {}),
  });
  return {
    token_type: 'Bearer',
    scope: `${graphResource}/.default`,
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
}
