/**
 * The doctor's live check of the provider: the discovery document at the issuer, its JWKS, and the
 * endpoints the configuration relies on. Only reports a problem when the provider answered; an
 * unreachable provider is a warning, since the doctor may run where the provider is not visible.
 */
import type { CloudMetadata } from './clouds';
import { entraTenantSegment, multiTenantSegments } from './entra';
import { type ConfigIssue, error, show, warning } from './issues';
import { normaliseIssuer, tryParseUrl, withoutTrailingSlash } from './urls';

export interface DiscoveryInput {
  issuer: string;
  useEndSessionEndpoint: boolean;
  /** The token the required role is read from, when a role is required. */
  roleTokenKind?: 'id' | 'access' | 'userinfo' | undefined;
}

export interface DiscoveryResult {
  url: string;
  /** The provider answered the discovery request (with anything). */
  reached: boolean;
  issues: ConfigIssue[];
  /** What was checked and found right, for the report. */
  passed: string[];
  /** Entra's fields that name its cloud, when the document had any (clouds.ts `detectCloud`). */
  cloud?: CloudMetadata;
}

export interface DiscoveryOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

/** Where openid-client (and so the BFF) ties Entra's `{tenantid}` template issuer to each token's `tid`. */
const ENTRA_GLOBAL_LOGIN = 'login.microsoftonline.com';

/**
 * Entra's multi-tenant metadata: OPENID_ISSUER is `https://login.microsoftonline.com/{common|organizations|consumers}/v2.0`
 * and the metadata names `https://login.microsoftonline.com/{tenantid}/v2.0`.
 */
function isEntraTemplateFor(published: string, configured: string): boolean {
  const issuer = tryParseUrl(configured);
  if (issuer?.protocol !== 'https:' || issuer.hostname.toLowerCase() !== ENTRA_GLOBAL_LOGIN) return false;
  const segment = entraTenantSegment(issuer)?.toLowerCase() ?? '';
  if (!(multiTenantSegments as readonly string[]).includes(segment)) return false;
  return withoutTrailingSlash(published.trim()) === `https://${ENTRA_GLOBAL_LOGIN}/{tenantid}/v2.0`;
}

export async function checkDiscovery(
  input: DiscoveryInput,
  options: DiscoveryOptions,
): Promise<DiscoveryResult> {
  const url = `${withoutTrailingSlash(input.issuer)}/.well-known/openid-configuration`;
  const result: DiscoveryResult = { url, reached: false, issues: [], passed: [] };

  const document = await getJson(url, options);
  if (document.kind === 'unreachable') {
    result.issues.push(
      warning(
        'OPENID_ISSUER',
        `could not be reached (${document.reason}), so the provider's metadata was not checked`,
        'run the doctor where Gatehouse runs (PROXY is not used for this check); for the emulator, start `pnpm dev` or `pnpm emulator` first',
      ),
    );
    return result;
  }
  result.reached = true;
  if (document.kind === 'bad') {
    result.issues.push(
      error(
        'OPENID_ISSUER',
        `is not an OpenID provider's issuer: ${url} ${document.reason}`,
        'write the issuer exactly as the provider publishes it; for Entra https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0',
      ),
    );
    return result;
  }
  const metadata = document.body;
  if (metadata.cloud_instance_name !== undefined || metadata.msgraph_host !== undefined) {
    result.cloud = { cloud_instance_name: metadata.cloud_instance_name, msgraph_host: metadata.msgraph_host };
  }

  const published = typeof metadata.issuer === 'string' ? metadata.issuer : undefined;
  if (published === undefined) {
    result.issues.push(
      error('OPENID_ISSUER', `${url} has no "issuer"`, 'check that OPENID_ISSUER is the issuer URL'),
    );
  } else if (isEntraTemplateFor(published, input.issuer)) {
    result.passed.push(
      `issuer template ${published}: each ID token's iss must be the issuer of its own tenant (tid), and OPENID_ALLOWED_TENANTS says which tenants may sign in`,
    );
  } else if (normaliseIssuer(published) !== normaliseIssuer(input.issuer)) {
    result.issues.push(
      error(
        'OPENID_ISSUER',
        `is ${show(input.issuer)}, but the provider's metadata names its issuer ${show(published)}; ID tokens would fail validation`,
        published.includes('{tenantid}')
          ? `Gatehouse checks Entra's {tenantid} template against each token's tid on ${ENTRA_GLOBAL_LOGIN} only; use your own tenant's issuer, https://${tryParseUrl(published)?.host ?? ENTRA_GLOBAL_LOGIN}/<Directory (tenant) ID>/v2.0`
          : `set OPENID_ISSUER=${published}`,
      ),
    );
  } else {
    result.passed.push(`issuer ${published} matches OPENID_ISSUER`);
  }

  for (const endpoint of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof metadata[endpoint] === 'string') continue;
    result.issues.push(
      error(
        'OPENID_ISSUER',
        `has no ${endpoint} in its metadata`,
        'use a provider that supports the authorization code flow',
      ),
    );
  }

  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    result.issues.push(
      warning(
        'OPENID_ISSUER',
        'does not list S256 in code_challenge_methods_supported; Gatehouse always sends a PKCE S256 challenge',
        'enable PKCE (S256) for the client at the provider',
      ),
    );
  }

  await checkKeys(metadata, options, result);

  if (input.useEndSessionEndpoint) {
    if (typeof metadata.end_session_endpoint === 'string') {
      result.passed.push(`end-session endpoint ${metadata.end_session_endpoint}`);
    } else {
      result.issues.push(
        error(
          'OPENID_USE_END_SESSION_ENDPOINT',
          'is true, but the provider publishes no end_session_endpoint, so logout cannot send users to it',
          'set OPENID_USE_END_SESSION_ENDPOINT=false (logout then ends the Gatehouse session only)',
        ),
      );
    }
  }

  if (input.roleTokenKind === 'userinfo') {
    if (typeof metadata.userinfo_endpoint === 'string') {
      result.passed.push(`userinfo endpoint ${metadata.userinfo_endpoint}`);
    } else {
      result.issues.push(
        error(
          'OPENID_REQUIRED_ROLE_TOKEN_KIND',
          'is userinfo, but the provider publishes no userinfo_endpoint',
          'use OPENID_REQUIRED_ROLE_TOKEN_KIND=id',
        ),
      );
    }
  }
  return result;
}

async function checkKeys(
  metadata: Record<string, unknown>,
  options: DiscoveryOptions,
  result: DiscoveryResult,
) {
  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== 'string') {
    result.issues.push(
      error(
        'OPENID_ISSUER',
        'has no jwks_uri in its metadata, so ID token signatures cannot be checked',
        'use another provider',
      ),
    );
    return;
  }
  const jwks = await getJson(jwksUri, options);
  if (jwks.kind !== 'ok') {
    result.issues.push(
      error(
        'OPENID_ISSUER',
        `publishes its signing keys at ${jwksUri}, which ${jwks.kind === 'bad' ? jwks.reason : `could not be fetched (${jwks.reason})`}`,
        'check that the provider serves its JWKS, and that this machine may reach it',
      ),
    );
    return;
  }
  const keys = jwks.body.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    result.issues.push(error('OPENID_ISSUER', `publishes no keys at ${jwksUri}`, 'check the provider'));
    return;
  }
  result.passed.push(`${keys.length} signing key${keys.length === 1 ? '' : 's'} at ${jwksUri}`);
}

type JsonOutcome =
  | { kind: 'ok'; body: Record<string, unknown> }
  | { kind: 'bad'; reason: string }
  | { kind: 'unreachable'; reason: string };

async function getJson(url: string, options: DiscoveryOptions): Promise<JsonOutcome> {
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (cause) {
    return { kind: 'unreachable', reason: describeFetchError(cause, options.timeoutMs) };
  }
  if (!response.ok) return { kind: 'bad', reason: `answered HTTP ${response.status}` };
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      return { kind: 'ok', body: body as Record<string, unknown> };
    }
  } catch {
    // Reported below: a body that is not a JSON object.
  }
  return { kind: 'bad', reason: 'did not answer with a JSON object' };
}

function describeFetchError(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const code =
    typeof inner === 'object' && inner !== null && 'code' in inner ? String(inner.code) : undefined;
  return code ?? (inner instanceof Error ? inner.message : String(inner));
}
