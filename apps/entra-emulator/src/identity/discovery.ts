import { type CloudId, cloudById } from '@gatehouse/config';
import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { jsonError } from './http';
import { errors } from './oauth-error';
import { TENANT_INDEPENDENT } from './tenant-segment';

/** Azure AD Graph's retired host per cloud (`cloud_graph_host_name`), as Entra still publishes it. */
const legacyGraphHosts: Record<CloudId, string> = {
  global: 'graph.windows.net',
  'usgov-high': 'graph.microsoftazure.us',
  'usgov-dod': 'graph.microsoftazure.us',
  china: 'graph.chinacloudapi.cn',
};

/**
 * OpenID metadata and signing keys at Entra's v2.0 paths, per tenant (every tenant shares the signing
 * keys, as Entra's do). For `common` and `organizations` the issuer is Entra's `{tenantid}` template,
 * which clients substitute with the token's `tid`.
 */
export function createDiscoveryRoutes(ctx: EmulatorContext) {
  const app = new Hono();

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const segment = c.req.param('tenant');
    const independent = TENANT_INDEPENDENT.includes(segment.toLowerCase());
    const tenant = ctx.directory.findTenant(segment);
    if (!independent && !tenant) return jsonError(c, errors.tenantNotFound(segment), ctx.clock());
    const tenantPath = independent ? segment.toLowerCase() : tenant!.id;
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
      issuer: independent ? `${ctx.baseUrl}/{tenantid}/v2.0` : ctx.tokens.issuer(tenant!.id),
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
      ...(national ? {} : { tenant_region_scope: 'EU' }),
      cloud_instance_name: cloud.instance,
      cloud_graph_host_name: legacyGraphHosts[cloud.id],
      msgraph_host: graphHost,
      rbac_url: 'https://pas.windows.net',
    });
  });

  app.get('/:tenant/discovery/v2.0/keys', (c) => {
    const segment = c.req.param('tenant');
    const independent = TENANT_INDEPENDENT.includes(segment.toLowerCase());
    const tenant = ctx.directory.findTenant(segment);
    if (!independent && !tenant) return jsonError(c, errors.tenantNotFound(segment), ctx.clock());
    const issuer = independent ? `${ctx.baseUrl}/{tenantid}/v2.0` : ctx.tokens.issuer(tenant!.id);
    c.header('Cache-Control', 'max-age=86400, private');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json({ keys: ctx.keys.published().map((k) => ({ ...k.jwk, issuer })) });
  });

  return app;
}
