import type { Config } from '@gatehouse/config';
import { type SharepointTokenResponse, sharepointTokenRequestSchema } from '@gatehouse/contracts';
import type { Context } from 'hono';
import type { SignedInEnv } from '../app-env';
import { AppError } from '../http/errors';
import { type TokenManager, tokenFailure } from '../session/token-manager';
import { parseJsonBody } from '../sharing/request-parsing';
import { allowedPickerResource, pickerResourceSpec, pickerResources } from './sharepoint-resources';

export interface PickerTokenDeps {
  config: Pick<Config, 'SHAREPOINT_BASE_URL' | 'SHAREPOINT_PICKER_SHAREPOINT_SCOPE'>;
  tokens: Pick<TokenManager, 'resourceToken'>;
}

/**
 * `POST /api/sharepoint/token {resource}`: a SharePoint-audience token for the picker's
 * `authenticate` command. Only for the configured SharePoint origin or its `-my` twin, only with
 * the permission of SHAREPOINT_PICKER_SHAREPOINT_SCOPE, from the session's refresh token; the token
 * manager keeps it on the session per resource and hands it out again while it has more than five
 * minutes left, with its real expiry (never a fresh lifetime for an old token).
 */
export function createPickerTokenHandler(deps: PickerTokenDeps) {
  const allowed = pickerResources(deps.config);
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
    if (result.kind !== 'token') throw tokenFailure(result);
    const body: SharepointTokenResponse = {
      accessToken: result.accessToken,
      expiresOn: new Date(result.expiresAt).toISOString(),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  };
}
