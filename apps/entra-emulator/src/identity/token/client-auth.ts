import type { Context } from 'hono';
import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { errors } from '../oauth-error';

export interface ClientCredentials {
  clientId: string | undefined;
  secret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Reads `client_secret_basic` (Authorization: Basic) or `client_secret_post` credentials. */
export function readClientCredentials(c: Context, params: Record<string, string>): ClientCredentials {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1)
      throw errors.invalidRequest(
        900144,
        'The Authorization header is not a valid Basic credential (expected base64 of client_id:client_secret).',
      );
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    const clientId = decodeForm(decoded.slice(0, colon));
    const secret = decodeForm(decoded.slice(colon + 1));
    if (params.client_id && params.client_id !== clientId) {
      throw errors.invalidRequest(
        900144,
        'The client_id in the body does not match the one in the Authorization header.',
      );
    }
    return { clientId, secret, method: 'client_secret_basic' };
  }
  if (params.client_secret !== undefined) {
    return { clientId: params.client_id, secret: params.client_secret, method: 'client_secret_post' };
  }
  return { clientId: params.client_id, secret: undefined, method: 'none' };
}

/** The calling app, authenticated: a confidential client must present one of its secrets. */
export function authenticateClient(ctx: EmulatorContext, credentials: ClientCredentials): SeedApplication {
  if (!credentials.clientId) throw errors.missingParameter('client_id');
  const app = ctx.directory.findApp(credentials.clientId);
  if (!app) throw errors.appNotFound(credentials.clientId, ctx.directory.tenant.id);
  if (app.secrets.length === 0) return app;
  if (credentials.secret === undefined) throw errors.missingClientCredential();
  if (!app.secrets.includes(credentials.secret)) throw errors.invalidClientSecret(app.clientId);
  return app;
}

function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
