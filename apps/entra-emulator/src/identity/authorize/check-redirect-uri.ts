import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

/** The redirect URI must equal one of the app's registered URIs, character for character. */
export function checkRedirectUri(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const uri = request.params.redirect_uri;
  const app = request.app!;
  if (!uri) {
    // Entra falls back to the only registered URI; with several it cannot choose.
    if (app.redirectUris.length === 1) {
      request.redirectUri = app.redirectUris[0]!;
      return;
    }
    throw errors.missingParameter('redirect_uri', 'request');
  }
  if (!app.redirectUris.includes(uri)) throw errors.redirectUriMismatch(uri, app.clientId);
  request.redirectUri = uri;
}
