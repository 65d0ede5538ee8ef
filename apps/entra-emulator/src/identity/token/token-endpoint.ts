import type { Context } from 'hono';
import type { EmulatorContext } from '../../context';
import { jsonError, readParams } from '../http';
import { errors, OAuthError } from '../oauth-error';
import { resolveTenantSegment } from '../tenant-segment';
import { authorizationCodeGrant } from './authorization-code';
import { authenticateClient, readClientCredentials } from './client-auth';
import { clientCredentialsGrant } from './client-credentials';
import { onBehalfOfGrant } from './on-behalf-of';
import { refreshTokenGrant } from './refresh-token';
import { tamperIdToken } from './tamper-id-token';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const grants = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [JWT_BEARER]: onBehalfOfGrant,
} as const;

/**
 * POST `/{tenant}/oauth2/v2.0/token`. Counts every request, then applies faults, then checks the URL's
 * tenant (AADSTS90002) and the app in it (`appAt`), then the grant, which checks its tenant too.
 */
export function createTokenEndpoint(ctx: EmulatorContext) {
  return async function tokenEndpoint(c: Context) {
    const tenant = c.req.param('tenant')!;
    let params: Record<string, string> = {};
    let clientId = '(unknown)';
    try {
      params = await readParams(c);
      const credentials = readClientCredentials(c, params);
      clientId = credentials.clientId ?? '(none)';
      const grantType = params.grant_type ?? '(none)';
      ctx.counters.countToken(grantType, clientId);

      const fault = ctx.faults.take({
        path: c.req.path,
        method: c.req.method,
        grantType,
        scope: params.scope,
      });
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (ctx.settings.tokenEndpointDown) throw errors.temporarilyUnavailable();
      if (fault?.status) return faultResponse(c, fault.status, fault.retryAfter);
      if (fault?.unknownResource)
        throw errors.resourceNotFound(fault.unknownResource, ctx.directory.tenant.displayName);

      const at = resolveTenantSegment(ctx.directory, tenant);
      if (!params.grant_type) throw errors.missingParameter('grant_type');
      const grant = grants[params.grant_type as keyof typeof grants];
      if (!grant) throw errors.unsupportedGrantType(params.grant_type);
      // A client assertion's aud is this endpoint, as discovery names it.
      const app = await authenticateClient(ctx, credentials, at, `${ctx.baseUrl}${c.req.path}`);
      const response = await grant(ctx, app, params, at);
      if (fault?.idToken && response.id_token) {
        response.id_token = await tamperIdToken(response.id_token, fault.idToken, ctx);
      }
      c.header('Cache-Control', 'no-store, no-cache');
      c.header('Pragma', 'no-cache');
      return c.json(response);
    } catch (error) {
      if (error instanceof OAuthError) return jsonError(c, error, ctx.clock());
      throw error;
    }
  };

  function faultResponse(c: Context, status: number, retryAfter: number | undefined) {
    const error =
      status === 429
        ? errors.throttled()
        : new OAuthError(
            status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
            status >= 500 ? 90033 : 90000,
            status >= 500
              ? 'A transient error has occurred. Please try again.'
              : 'Injected fault (emulator).',
            { status },
          );
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
    return jsonError(c, error, ctx.clock());
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
