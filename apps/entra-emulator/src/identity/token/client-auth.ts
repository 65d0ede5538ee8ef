import { createHash, X509Certificate } from 'node:crypto';
import type { Context } from 'hono';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { errors, OAuthError } from '../oauth-error';
import { appAt, type TenantSegment } from '../tenant-segment';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientCredentials {
  clientId: string | undefined;
  secret: string | undefined;
  /** The `client_assertion` of `private_key_jwt`. */
  assertion?: string;
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
}

/** Reads `client_secret_basic` (Authorization: Basic), `client_secret_post` or `private_key_jwt` credentials. */
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
  if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) {
    if (params.client_assertion_type !== JWT_BEARER_ASSERTION) {
      throw errors.invalidRequest(
        50027,
        `client_assertion_type must be '${JWT_BEARER_ASSERTION}' (got '${params.client_assertion_type ?? ''}').`,
      );
    }
    if (!params.client_assertion) throw errors.missingParameter('client_assertion');
    // Entra takes the client id from the assertion when the body leaves it out.
    const clientId = params.client_id ?? assertionClaim(params.client_assertion, 'sub');
    return { clientId, secret: undefined, assertion: params.client_assertion, method: 'private_key_jwt' };
  }
  if (params.client_secret !== undefined) {
    return { clientId: params.client_id, secret: params.client_secret, method: 'client_secret_post' };
  }
  return { clientId: params.client_id, secret: undefined, method: 'none' };
}

/**
 * The calling app, as the URL's tenant has it (`appAt`), authenticated: a confidential client presents one of its secrets (not past its end
 * date) or a client assertion signed with one of its certificates.
 */
export async function authenticateClient(
  ctx: EmulatorContext,
  credentials: ClientCredentials,
  at: TenantSegment,
  tokenEndpoint: string,
): Promise<SeedApplication> {
  if (!credentials.clientId) throw errors.missingParameter('client_id');
  const app = appAt(ctx.directory, credentials.clientId, at);
  if (credentials.assertion !== undefined) {
    await checkAssertion(ctx, app, credentials.assertion, tokenEndpoint);
    return app;
  }
  if (app.secrets.length === 0 && (app.certificates ?? []).length === 0) return app;
  if (credentials.secret === undefined) throw errors.missingClientCredential();
  if (!app.secrets.includes(credentials.secret)) throw errors.invalidClientSecret(app.clientId);
  const endDate = app.secretEndDates?.[credentials.secret];
  if (endDate !== undefined && Date.parse(endDate) <= ctx.clock()) {
    throw new OAuthError(
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
  }
  return app;
}

/** Entra refuses assertions valid for longer than this (its documented maximum is 10 minutes). */
const MAX_ASSERTION_LIFETIME_SECONDS = 600;
/** Seen `jti`s per emulator, kept until their assertion expires. */
const seenAssertions = new WeakMap<EmulatorContext, Map<string, number>>();

async function checkAssertion(
  ctx: EmulatorContext,
  app: SeedApplication,
  assertion: string,
  tokenEndpoint: string,
): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalidAssertion('The client assertion is not a JWT.');
  }
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  if (typeof thumbprint !== 'string') {
    throw invalidAssertion(
      "The client assertion's header names no certificate: x5t#S256 (or x5t) is required.",
    );
  }
  const certificate = (app.certificates ?? [])
    .map((pem) => new X509Certificate(pem))
    .find(
      (candidate) => certificateThumbprint(candidate, header['x5t#S256'] ? 'sha256' : 'sha1') === thumbprint,
    );
  if (!certificate) {
    throw new OAuthError(
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
    );
  }
  const now = Math.floor(ctx.clock() / 1000);
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(assertion, certificate.publicKey, {
      algorithms: ['RS256', 'PS256'],
      currentDate: new Date(now * 1000),
      clockTolerance: 300,
    }));
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      throw new OAuthError(
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}.`,
      );
    }
    throw new OAuthError(
      'invalid_client',
      700027,
      'Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]',
    );
  }
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
    throw new OAuthError(
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter: iss and sub must both be '${app.clientId}'.`,
    );
  }
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audience.includes(tokenEndpoint)) {
    throw invalidAssertion(
      `Client assertion audience claim does not match the token endpoint '${tokenEndpoint}'.`,
    );
  }
  if (
    typeof payload.exp !== 'number' ||
    payload.exp - (payload.nbf ?? payload.iat ?? now) > MAX_ASSERTION_LIFETIME_SECONDS
  ) {
    throw new OAuthError(
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range: exp is required and at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds after nbf.`,
    );
  }
  if (typeof payload.jti !== 'string' || payload.jti === '')
    throw invalidAssertion('The client assertion has no jti.');
  const seen = seenAssertions.get(ctx) ?? new Map<string, number>();
  seenAssertions.set(ctx, seen);
  for (const [jti, exp] of seen) if (exp < now) seen.delete(jti);
  const key = `${app.clientId} ${payload.jti}`;
  if (seen.has(key))
    throw invalidAssertion(`The client assertion with jti '${payload.jti}' was already used (replay).`);
  seen.set(key, payload.exp);
}

function invalidAssertion(reason: string): OAuthError {
  return new OAuthError('invalid_client', 50013, `Assertion is invalid. ${reason}`);
}

function certificateThumbprint(certificate: X509Certificate, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(certificate.raw).digest('base64url');
}

function assertionClaim(assertion: string, claim: 'sub'): string | undefined {
  try {
    const value = decodeJwt(assertion)[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
