import { type CloudId, cloudById } from '@gatehouse/config';
import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { jsonError } from './http';
import { OAuthError } from './oauth-error';
import { CONSUMERS, resolveTenantSegment, type TenantSegment } from './tenant-segment';

/** Azure AD Graph's retired host per cloud (`cloud_graph_host_name`), as Entra still publishes it. */
/** The tenant of personal Microsoft accounts: `/consumers` issues its tokens under this id. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const legacyGraphHosts: Record<CloudId, string> = {
  global: 'graph.windows.net',
  'usgov-high': 'graph.microsoftazure.us',
  'usgov-dod': 'graph.microsoftazure.us',
  china: 'graph.chinacloudapi.cn',
};

/**
 * OpenID metadata and signing keys at Entra's v2.0 paths, per tenant (every tenant shares the signing
 * keys, as Entra's do). For `common` and `organizations` the issuer is Entra's `{tenantid}` template,
 * which clients substitute with the token's `tid`; `consumers` publishes the personal accounts'
 * tenant as its issuer, as Entra does (its sign-ins then answer AADSTS70002: no seed app takes them).
 */
export function createDiscoveryRoutes(ctx: EmulatorContext) {
  const app = new Hono();

  /**
   * The path and issuer a segment publishes, resolved as the identity endpoints resolve it; a tenant
   * the emulator does not have is their AADSTS90002.
   */
  const issuerAt = (segment: string) => {
    let at: TenantSegment;
    try {
      at = resolveTenantSegment(ctx.directory, segment);
    } catch (error) {
      if (error instanceof OAuthError) return error;
      throw error;
    }
    if (at.kind === 'tenant') return { path: at.tenant.id, issuer: ctx.tokens.issuer(at.tenant.id) };
    const tenantId = at.kind === 'consumers' ? CONSUMERS_TENANT_ID : '{tenantid}';
    return { path: at.segment, issuer: `${ctx.baseUrl}/${tenantId}/v2.0` };
  };

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const segment = c.req.param('tenant');
    const at = issuerAt(segment);
    if (at instanceof OAuthError) return jsonError(c, at, ctx.clock());
    const tenantPath = at.path;
    const base = `${ctx.baseUrl}/${tenantPath}`;
    // The global cloud's Graph is the emulator itself; a national cloud's is its real host, which the
    // BFF's EMULATOR_HOST_MAP sends back here.
    const cloud = cloudById(ctx.settings.cloud);
    const national = cloud.id !== 'global';
    const graphHost = national ? cloud.graphHost : new URL(ctx.baseUrl).host;
    c.header('Cache-Control', 'max-age=86400, private');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: at.issuer,
      request_uri_parameter_supported: false,
      // As in Entra, userinfo lives on the Graph side and needs a Graph access token.
      userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      // Personal accounts have no region (Entra publishes null there).
      ...(national ? {} : { tenant_region_scope: tenantPath === CONSUMERS ? null : 'EU' }),
      cloud_instance_name: cloud.instance,
      cloud_graph_host_name: legacyGraphHosts[cloud.id],
      msgraph_host: graphHost,
      rbac_url: 'https://pas.windows.net',
    });
  });

  app.get('/:tenant/discovery/v2.0/keys', (c) => {
    const segment = c.req.param('tenant');
    const at = issuerAt(segment);
    if (at instanceof OAuthError) return jsonError(c, at, ctx.clock());
    const { issuer } = at;
    c.header('Cache-Control', 'max-age=86400, private');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json({ keys: ctx.keys.published().map((k) => ({ ...k.jwk, issuer })) });
  });

  return app;
}
