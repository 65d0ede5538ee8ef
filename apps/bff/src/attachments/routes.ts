import type { Config } from '@gatehouse/config';
import { attachmentRoutes } from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import type { SignedInEnv } from '../app-env';
import { AppError } from '../http/errors';
import type { SessionVariables } from '../session/session-middleware';
import type { TokenManager } from '../session/token-manager';
import { createPickerTokenHandler } from './picker-token';

export interface AttachmentRoutesDeps {
  config: Config;
  tokens: TokenManager;
  signedIn: MiddlewareHandler<{ Variables: SessionVariables }>;
}

const featureDisabled = () =>
  new AppError(
    'feature_disabled',
    'The SharePoint file picker is turned off (ENABLE_SHAREPOINT_FILEPICKER).',
  );

/**
 * The SharePoint picker's token, attachments from SharePoint, their jobs and their bytes (contracts
 * in `@gatehouse/contracts` `attachments.ts`).
 */
export function createAttachmentRoutes(deps: AttachmentRoutesDeps) {
  const { config, signedIn } = deps;
  const r = new Hono<SignedInEnv>();
  const pickerOn: MiddlewareHandler = async (_c, next) => {
    if (!config.ENABLE_SHAREPOINT_FILEPICKER) throw featureDisabled();
    await next();
  };

  r.post(attachmentRoutes.sharepointToken, pickerOn, signedIn, createPickerTokenHandler(deps));
  return r;
}
