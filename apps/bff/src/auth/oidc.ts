/**
 * The BFF's OpenID Connect client: the only module that imports openid-client. Everything the rest
 * of the BFF needs from the provider goes through `createOidcClient()`, and every library failure is
 * translated here into an `OidcError` (an `AppError` with a precise `failure`).
 */

import * as client from 'openid-client';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock';
import {
  createIdTokenSignatureVerifier,
  IdTokenSignatureError,
  type IdTokenSignatureVerifier,
} from './id-token-signature';
import {
  classifyOAuthError,
  OidcError,
  type OidcErrorDetails,
  type OidcFailure,
  parseAadsts,
} from './oidc-error';

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface OidcClientOptions {
  /** `OPENID_ISSUER`: the issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Default `client_secret_post`, as LibreChat sends it. */
  clientAuthMethod?: ClientAuthMethod;
  /** `DOMAIN_SERVER + OPENID_CALLBACK_URL`, from configuration — never from the Host header. */
  redirectUri: string;
  /** Accepted clock difference for `iat`/`exp`/`nbf`, seconds. */
  clockToleranceSeconds: number;
  /**
   * Required `tid` of every ID token. Default: the tenant GUID of an Entra-style issuer
   * (`…/{tenant-guid}/v2.0`); none for other issuers (and for `common`/`organizations`, where
   * openid-client already ties `iss` to `tid`).
   */
  expectedTenantId?: string;
  /** Accepted ID-token `alg` values; default `['RS256']` (Entra's). */
  idTokenAlgorithms?: string[];
  fetch?: typeof fetch;
  clock?: Clock;
  log: Logger;
  /** Discovery attempts at start-up (default 3) and the pause between them (default 2 s). */
  discoveryAttempts?: number;
  discoveryRetryDelayMs?: number;
  /** After a failed discovery, the next request waits this long before trying again (default 10 s). */
  rediscoveryCooldownMs?: number;
  /** Per-request timeout towards the provider, seconds (default 10). */
  timeoutSeconds?: number;
}

/** Validated ID-token claims (signature, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `tid` checked). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  [claim: string]: unknown;
}

export interface TokenSet {
  accessToken: string;
  /** Epoch ms, from `expires_in` (access tokens are opaque to us, as Microsoft asks). */
  expiresAt: number | undefined;
  refreshToken: string | undefined;
  idToken: string | undefined;
  claims: IdTokenClaims | undefined;
  scope: string | undefined;
}

export interface LoginSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcStatus {
  ready: boolean;
  issuer: string;
  /** Why the provider is not usable, for `/readyz` and logs. */
  error?: string;
  /** Epoch ms of the last discovery attempt. */
  lastAttemptAt?: number;
}

export interface OidcClient {
  /** The configured issuer (as in `OPENID_ISSUER`). */
  readonly issuer: string;
  /** Discovery with retries; resolves `false` (never throws) if the provider stays unreachable. */
  start(): Promise<boolean>;
  status(): OidcStatus;
  /** The metadata issuer (tenant-specific for Entra), after discovery. */
  metadataIssuer(): Promise<string>;
  randomLoginSecrets(): LoginSecrets;
  authorizationUrl(params: {
    secrets: LoginSecrets;
    scope: readonly string[];
    prompt?: string;
    extra?: Record<string, string>;
  }): Promise<URL>;
  /** Checks the callback (`state`, errors), redeems the code (PKCE), validates the ID token fully. */
  redeemCode(
    callbackQuery: URLSearchParams,
    secrets: LoginSecrets,
  ): Promise<TokenSet & { idToken: string; claims: IdTokenClaims }>;
  /** `grant_type=refresh_token`, optionally for another resource's `scope`. */
  refresh(refreshToken: string, params?: { scope?: readonly string[] }): Promise<TokenSet>;
  userInfo(accessToken: string, expectedSubject: string): Promise<Record<string, unknown>>;
  /** Whether the provider's metadata names a userinfo endpoint. */
  hasUserInfo(): Promise<boolean>;
  /** The end-session URL, or `undefined` when the provider has no end-session endpoint. */
  endSessionUrl(params: Record<string, string>): Promise<URL | undefined>;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain http is accepted only for a provider on this machine (the emulator, a test OP). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && loopbackHosts.has(url.hostname);
}

const tenantGuid = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i;

/** The tenant GUID of an Entra-style issuer (`https://login.microsoftonline.com/{tid}/v2.0`). */
export function tenantOfIssuer(issuer: string): string | undefined {
  return URL.canParse(issuer) ? tenantGuid.exec(new URL(issuer).pathname)?.[1]?.toLowerCase() : undefined;
}

/** The oldest `iat` accepted on a token the provider has just issued. */
const ID_TOKEN_MAX_AGE_SECONDS = 3600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createOidcClient(options: OidcClientOptions): OidcClient {
  if (!URL.canParse(options.issuer)) {
    throw new TypeError(`createOidcClient: issuer ${JSON.stringify(options.issuer)} is not a URL.`);
  }
  const issuerUrl = new URL(options.issuer);
  const insecure = isLoopbackHttp(issuerUrl);
  if (issuerUrl.protocol !== 'https:' && !insecure) {
    throw new TypeError(
      `createOidcClient: issuer ${options.issuer} must use https (plain http is allowed only for localhost).`,
    );
  }
  if (!options.clientId || !options.clientSecret) {
    throw new TypeError('createOidcClient: clientId and clientSecret are required (a confidential client).');
  }
  if (!URL.canParse(options.redirectUri)) {
    throw new TypeError(`createOidcClient: redirectUri ${JSON.stringify(options.redirectUri)} is not a URL.`);
  }

  const log = options.log;
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const algorithms = options.idTokenAlgorithms ?? ['RS256'];
  const [signingAlgorithm = 'RS256'] = algorithms;
  const attempts = Math.max(1, options.discoveryAttempts ?? 3);
  const retryDelayMs = options.discoveryRetryDelayMs ?? 2000;
  const cooldownMs = options.rediscoveryCooldownMs ?? 10_000;
  const timeout = options.timeoutSeconds ?? 10;
  const expectedTenantId = (options.expectedTenantId ?? tenantOfIssuer(options.issuer))?.toLowerCase();
  const clientAuth =
    options.clientAuthMethod === 'client_secret_basic'
      ? client.ClientSecretBasic(options.clientSecret)
      : client.ClientSecretPost(options.clientSecret);

  let discovered: { config: client.Configuration; verifier: IdTokenSignatureVerifier } | undefined;
  let discovering: Promise<NonNullable<typeof discovered>> | undefined;
  let lastError: OidcError | undefined;
  let lastAttemptAt: number | undefined;

  async function discoverOnce() {
    lastAttemptAt = clock.now();
    try {
      const config = await client.discovery(
        issuerUrl,
        options.clientId,
        {
          id_token_signed_response_alg: signingAlgorithm,
          [client.clockTolerance]: options.clockToleranceSeconds,
        },
        clientAuth,
        {
          [client.customFetch]: (url, init) => fetchImpl(url, init as RequestInit),
          timeout,
          // Only ever for a provider on this machine: see isLoopbackHttp.
          execute: insecure ? [client.allowInsecureRequests] : [],
        },
      );
      const metadata = config.serverMetadata();
      if (!metadata.jwks_uri) {
        throw new OidcError(
          'provider_error',
          `The provider's metadata at ${options.issuer} has no jwks_uri.`,
        );
      }
      const verifier = createIdTokenSignatureVerifier({
        jwksUri: metadata.jwks_uri,
        fetch: fetchImpl,
        clock,
        algorithms,
      });
      lastError = undefined;
      log.info({ issuer: metadata.issuer }, 'OpenID provider metadata loaded');
      return { config, verifier };
    } catch (err) {
      const error = await translate(err, 'discovery');
      lastError = error;
      throw error;
    }
  }

  /** The discovered configuration; re-discovers lazily (at most once per cooldown) while the provider is down. */
  async function configuration() {
    if (discovered) return discovered;
    if (!discovering) {
      if (lastError && lastAttemptAt !== undefined && clock.now() - lastAttemptAt < cooldownMs)
        throw lastError;
      discovering = discoverOnce().finally(() => {
        discovering = undefined;
      });
    }
    discovered = await discovering;
    return discovered;
  }

  function checkTenant(claims: IdTokenClaims) {
    if (!expectedTenantId) return;
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined;
    if (tid !== expectedTenantId) {
      throw new OidcError(
        'invalid_token',
        'The ID token comes from another tenant than the one configured.',
        { description: `expected tid ${expectedTenantId}, got ${String(claims.tid)}` },
      );
    }
  }

  /**
   * `iat` of a token the provider has just minted (code redemption, refresh) must be recent:
   * openid-client only requires it to be present. Not older than an hour (oauth4webapi's bound
   * for ID tokens in the front channel) nor in the future, each give or take the clock tolerance.
   * Real time, like openid-client's own `exp`/`nbf` checks.
   */
  function checkIssuedAt(claims: IdTokenClaims) {
    const now = Math.floor(Date.now() / 1000);
    const tolerance = options.clockToleranceSeconds;
    if (claims.iat < now - ID_TOKEN_MAX_AGE_SECONDS - tolerance || claims.iat > now + tolerance) {
      throw new OidcError('clock_skew', messages.clock_skew, {
        description: `ID token "iat" ${claims.iat} is not within ${ID_TOKEN_MAX_AGE_SECONDS} s before now (${now}) ± ${tolerance} s`,
      });
    }
  }

  async function toTokenSet(
    response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
    verifier: IdTokenSignatureVerifier,
  ): Promise<TokenSet> {
    let claims: IdTokenClaims | undefined;
    if (response.id_token) {
      await verifier.verify(response.id_token);
      claims = response.claims() as IdTokenClaims;
      checkTenant(claims);
      checkIssuedAt(claims);
    }
    return {
      accessToken: response.access_token,
      expiresAt: response.expires_in === undefined ? undefined : clock.now() + response.expires_in * 1000,
      refreshToken: response.refresh_token,
      idToken: response.id_token,
      claims,
      scope: response.scope,
    };
  }

  return {
    issuer: options.issuer,

    async start() {
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        try {
          await configuration();
          return true;
        } catch (err) {
          const error = err as OidcError;
          log.warn(
            {
              issuer: options.issuer,
              attempt,
              attempts,
              failure: error.failure,
              detail: error.provider?.description,
            },
            `OpenID discovery failed: ${error.message}`,
          );
          lastAttemptAt = undefined; // the start-up loop has its own pacing
          if (attempt < attempts) await sleep(retryDelayMs);
        }
      }
      lastAttemptAt = clock.now();
      log.error(
        { issuer: options.issuer },
        'OpenID provider unreachable at start-up: sign-in will retry discovery on demand; /readyz reports it',
      );
      return false;
    },

    status() {
      return {
        ready: discovered !== undefined,
        issuer: discovered?.config.serverMetadata().issuer ?? options.issuer,
        ...(discovered === undefined && lastError ? { error: lastError.message } : {}),
        ...(lastAttemptAt === undefined ? {} : { lastAttemptAt }),
      };
    },

    async metadataIssuer() {
      return (await configuration()).config.serverMetadata().issuer;
    },

    randomLoginSecrets() {
      return {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
    },

    async authorizationUrl({ secrets, scope, prompt, extra }) {
      const { config } = await configuration();
      const parameters: Record<string, string> = {
        ...extra,
        redirect_uri: options.redirectUri,
        response_type: 'code',
        response_mode: 'query',
        scope: scope.join(' '),
        state: secrets.state,
        nonce: secrets.nonce,
        // Entra does not advertise code_challenge_methods_supported but enforces PKCE when sent.
        code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
        code_challenge_method: 'S256',
        ...(prompt ? { prompt } : {}),
      };
      return client.buildAuthorizationUrl(config, parameters);
    },

    async redeemCode(callbackQuery, secrets) {
      const { config, verifier } = await configuration();
      // The token request's redirect_uri is this URL without its query: built from configuration.
      const currentUrl = new URL(options.redirectUri);
      currentUrl.search = callbackQuery.toString();
      try {
        const response = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: secrets.codeVerifier,
          expectedState: secrets.state,
          expectedNonce: secrets.nonce,
          idTokenExpected: true,
        });
        const tokens = await toTokenSet(response, verifier);
        if (!tokens.idToken || !tokens.claims) {
          throw new OidcError('invalid_token', 'The token endpoint returned no ID token.');
        }
        return { ...tokens, idToken: tokens.idToken, claims: tokens.claims };
      } catch (err) {
        throw await translate(err, 'code');
      }
    },

    async refresh(refreshToken, params = {}) {
      const { config, verifier } = await configuration();
      try {
        const response = await client.refreshTokenGrant(
          config,
          refreshToken,
          params.scope ? { scope: params.scope.join(' ') } : {},
        );
        return await toTokenSet(response, verifier);
      } catch (err) {
        throw await translate(err, 'refresh');
      }
    },

    async userInfo(accessToken, expectedSubject) {
      const { config } = await configuration();
      try {
        return { ...(await client.fetchUserInfo(config, accessToken, expectedSubject)) };
      } catch (err) {
        throw await translate(err, 'userinfo');
      }
    },

    async hasUserInfo() {
      const { config } = await configuration();
      return typeof config.serverMetadata().userinfo_endpoint === 'string';
    },

    async endSessionUrl(params) {
      const { config } = await configuration();
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(config, params);
    },
  };
}

type Operation = 'discovery' | 'code' | 'refresh' | 'userinfo';

/** Every failure of openid-client, oauth4webapi, jose or the network, as an `OidcError`. */
export async function translate(err: unknown, operation: Operation): Promise<OidcError> {
  if (err instanceof OidcError) return err;

  if (err instanceof IdTokenSignatureError) {
    return err.code === 'jwks_unavailable'
      ? new OidcError('provider_unavailable', "The provider's signing keys could not be fetched.", {}, err)
      : new OidcError(
          'bad_signature',
          'The ID token signature is not valid.',
          { description: err.message },
          err,
        );
  }

  if (err instanceof client.AuthorizationResponseError) {
    const details = oauthDetails(err.error, err.error_description, err.cause);
    const failure = classifyOAuthError(err.error, details.aadsts ?? []);
    return new OidcError(
      failure === 'interaction_required' ? 'interaction_required' : 'authorization_error',
      'The provider refused the sign-in.',
      details,
      err,
    );
  }

  if (err instanceof client.ResponseBodyError) {
    const details = { ...oauthDetails(err.error, err.error_description, err.cause), status: err.status };
    const failure =
      err.status >= 500 ? 'provider_unavailable' : classifyOAuthError(err.error, details.aadsts ?? []);
    return new OidcError(failure, messages[failure], details, err);
  }

  if (err instanceof client.WWWAuthenticateChallengeError) {
    // A 401 with a challenge (Entra's invalid_client): the body still holds error_codes; read it.
    const body = (await err.response.json().catch(() => undefined)) as
      | { error?: unknown; error_description?: unknown }
      | undefined;
    const oauthError =
      (typeof body?.error === 'string' ? body.error : undefined) ?? err.cause[0]?.parameters.error;
    const details = oauthDetails(
      oauthError ?? '',
      typeof body?.error_description === 'string' ? body.error_description : undefined,
      body,
    );
    const status = err.response.status;
    const failure =
      status === 401 && (!oauthError || oauthError === 'invalid_client')
        ? 'invalid_client'
        : classifyOAuthError(oauthError ?? '', details.aadsts ?? []);
    return new OidcError(failure, messages[failure], { ...details, status }, err);
  }

  if (err instanceof client.ClientError) {
    const code = err.code ?? '';
    // openid-client wraps oauth4webapi's error: its precise message and details are one level down.
    const inner = err.cause instanceof Error ? err.cause : undefined;
    const detail = inner?.message ?? err.message;
    const fail = (failure: OidcFailure, description = detail, extra: OidcErrorDetails = {}) =>
      new OidcError(failure, messages[failure], { description, ...extra }, err);
    const invalid = operation === 'discovery' ? 'provider_error' : 'invalid_token';
    switch (code) {
      case 'OAUTH_TIMEOUT':
      case 'OAUTH_ABORT':
      case 'OAUTH_RESPONSE_IS_NOT_JSON':
        return fail('provider_unavailable');
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM': {
        const status = err.cause instanceof Response ? err.cause.status : undefined;
        const transient = status === undefined || status >= 500 || status === 429;
        return fail(transient ? 'provider_unavailable' : 'provider_error', detail, status ? { status } : {});
      }
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return fail('clock_skew');
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
        const claim = (inner?.cause as { claim?: string } | undefined)?.claim;
        return claim === 'nonce' ? fail('nonce_mismatch') : fail('invalid_token', `${detail} (${claim})`);
      }
      case 'OAUTH_INVALID_RESPONSE':
        return /"state"/.test(detail) ? fail('state_mismatch') : fail(invalid);
      case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
        return operation === 'discovery'
          ? new OidcError('provider_error', 'The provider says its issuer is different from OPENID_ISSUER.', {
              description: detail,
            })
          : fail('invalid_token');
      case 'OAUTH_KEY_SELECTION_FAILED':
        return fail('bad_signature');
      default:
        return isNetworkError(err.cause)
          ? fail('provider_unavailable', String(err.cause))
          : fail(invalid, `${code} ${detail}`);
    }
  }

  if (isNetworkError(err)) {
    return new OidcError(
      'provider_unavailable',
      messages.provider_unavailable,
      { description: String(err) },
      err,
    );
  }
  return new OidcError('provider_error', messages.provider_error, { description: String(err) }, err);
}

const messages = {
  provider_unavailable: 'The identity provider is unavailable. Try again in a moment.',
  authorization_error: 'The provider refused the sign-in.',
  state_mismatch: 'This sign-in attempt does not match the one started in this browser.',
  nonce_mismatch: 'The ID token was not issued for this sign-in attempt.',
  bad_signature: 'The ID token signature is not valid.',
  clock_skew: "The ID token's timestamps are outside the accepted clock tolerance.",
  invalid_token: 'The ID token failed validation.',
  invalid_grant: 'The grant is no longer valid: sign in again.',
  interaction_required: 'The provider needs you to sign in again interactively.',
  not_assigned: 'You are not assigned to this application. Ask your administrator for access.',
  invalid_client: "The provider rejected this application's credentials.",
  provider_error: 'The identity provider returned an error.',
} as const;

function oauthDetails(error: string, description: string | undefined, body: unknown): OidcErrorDetails {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const aadsts = parseAadsts({ error_codes: raw.error_codes, error_description: description });
  return {
    oauthError: error,
    ...(aadsts.length ? { aadsts } : {}),
    ...(description ? { description } : {}),
    ...(typeof raw.trace_id === 'string' ? { traceId: raw.trace_id } : {}),
    ...(typeof raw.correlation_id === 'string' ? { correlationId: raw.correlation_id } : {}),
  };
}

function isNetworkError(err: unknown): boolean {
  if (err instanceof DOMException) return err.name === 'TimeoutError' || err.name === 'AbortError';
  // undici: TypeError('fetch failed') with a system error (ECONNREFUSED, …) as cause.
  return err instanceof TypeError && !(err as { code?: string }).code?.startsWith('ERR_INVALID');
}
