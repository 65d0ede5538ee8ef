import type { Config } from '@gatehouse/config';
import { type SharepointTokenResponse, sharepointTokenRequestSchema } from '@gatehouse/contracts';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { SignedInEnv } from '../app-env';
import { AppError } from '../http/errors';
import { type TokenManager, tokenFailure } from '../session/token-manager';
import { parseJsonBody } from '../sharing/request-parsing';
import { allowedPickerResource, pickerResourceSpec, pickerResources } from './sharepoint-resources';

export interface PickerTokenDeps {
  config: Pick<Config, 'SHAREPOINT_BASE_URL' | 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE'>;
  tokens: Pick<TokenManager, 'resourceToken'>;
  /** Told (once per process) when the tenant does not know the SharePoint resource. */
  log?: Pick<Logger, 'error'>;
}

/**
 * `POST /api/sharepoint/token {resource}`: a SharePoint-audience token for the picker's
 * `authenticate` command. Only for the configured SharePoint origin or its `-my` twin, only with
 * the permission of SHAREPOINT_PICKER_SHAREPOINT_SCOPE, from the session's refresh token; the token
 * manager keeps it on the session per resource and hands it out again while it is fresh (more than
 * half its lifetime or five minutes left), with its real expiry (never a fresh lifetime for an old
 * token).
 */
export function createPickerTokenHandler(deps: PickerTokenDeps) {
  const allowed = pickerResources(deps.config);
  let unknownResourceLogged = false;
  /**
   * AADSTS500011 for the SharePoint resource: the tenant has no such resource principal — a wrong
   * SHAREPOINT_BASE_URL or SHAREPOINT_PICKER_SHAREPOINT_SCOPE. A 500 `configuration_error`, not a 503:
   * waiting does not help and the user can do nothing; the operator can, so the message (and one
   * error line per process, not one per click) names the variables.
   */
  function unknownResource(origin: string, aadsts: number[] | undefined): AppError {
    const message = `The identity provider does not know the SharePoint resource ${origin} (AADSTS500011). Check SHAREPOINT_BASE_URL (${deps.config.SHAREPOINT_BASE_URL}) and SHAREPOINT_PICKER_SHAREPOINT_SCOPE (${deps.config.SHAREPOINT_PICKER_SHAREPOINT_SCOPE}).`;
    if (!unknownResourceLogged) {
      unknownResourceLogged = true;
      deps.log?.error({ resource: origin, aadsts }, `picker token refused: ${message}`);
    }
    return new AppError('configuration_error', message, { details: { resource: origin } });
  }
  return async function pickerToken(c: Context<SignedInEnv>) {
    const { resource } = await parseJsonBody(c, sharepointTokenRequestSchema);
    const origin = allowedPickerResource(deps.config, resource);
    if (!origin) {
      throw new AppError(
        'resource_not_allowed',
        `resource: the picker may get tokens only for ${allowed.join(' or ')}.`,
      );
    }
    const result = await deps.tokens.resourceToken(c.var.session, pickerResourceSpec(deps.config, origin));
    if (result.kind === 'failed' && result.code === 'configuration_error') {
      throw unknownResource(origin, result.provider?.aadsts);
    }
    if (result.kind !== 'token') throw tokenFailure(result);
    const body: SharepointTokenResponse = {
      accessToken: result.accessToken,
      expiresOn: new Date(result.expiresAt).toISOString(),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  };
}
