/**
 * The BFF's OpenID Connect client. Only the `auth/oidc*.ts` files import openid-client: everything
 * the rest of the BFF needs from the provider goes through `createOidcClient()`, and every library
 * failure becomes an `OidcError` (an `AppError` with a precise `failure`) in
 * `oidc-error-translation.ts`. ID tokens are mapped and checked in `oidc-token-set.ts`.
 */

import { isLoopbackHttp } from '@gatehouse/config';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock';
import { type ClientCertificateCredential, privateKeyJwt } from './client-assertion';
import type { IdTokenClaims } from './id-token-checks';
import { createOidcDiscovery, type OidcStatus } from './oidc-discovery';
import { OidcError } from './oidc-error';
import { translateOidcError } from './oidc-error-translation';
import { type TokenSet, toTokenSet } from './oidc-token-set';

export type { IdTokenClaims } from './id-token-checks';
export type { OidcStatus } from './oidc-discovery';
export type { TokenSet } from './oidc-token-set';

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';
export type { ClientCertificateCredential } from './client-assertion';

export interface OidcClientOptions {
  /** `OPENID_ISSUER`: the issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** Exactly one of `clientSecret` and `clientCertificate` (configuration checks it). */
  clientSecret?: string;
  /** `private_key_jwt` on every token request, instead of a secret. */
  clientCertificate?: ClientCertificateCredential;
  /** With a secret: default `client_secret_post`, as LibreChat sends it. */
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
  /** Refuses the discovered metadata with a reason (auth/cloud-check.ts: another Microsoft cloud). */
  checkMetadata?: (metadata: Readonly<Record<string, unknown>>) => string | undefined;
}

export interface LoginSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
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
  refresh(refreshToken: string, params?: { scope?: readonly string[]; claims?: string }): Promise<TokenSet>;
  userInfo(accessToken: string, expectedSubject: string): Promise<Record<string, unknown>>;
  /** `grant_type=client_credentials`: an app-only access token (Graph's `.default`), no user. */
  clientCredentials(scope: readonly string[]): Promise<{ accessToken: string; expiresAt?: number }>;
  /** Whether the provider's metadata names a userinfo endpoint. */
  hasUserInfo(): Promise<boolean>;
  /** The end-session URL, or `undefined` when the provider has no end-session endpoint. */
  endSessionUrl(params: Record<string, string>): Promise<URL | undefined>;
}

const tenantGuid = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i;

/** The tenant GUID of an Entra-style issuer (`https://login.microsoftonline.com/{tid}/v2.0`). */
export function tenantOfIssuer(issuer: string): string | undefined {
  return URL.canParse(issuer) ? tenantGuid.exec(new URL(issuer).pathname)?.[1]?.toLowerCase() : undefined;
}

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
  if (!options.clientId || !options.clientSecret === !options.clientCertificate) {
    throw new TypeError(
      'createOidcClient: clientId and one of clientSecret or clientCertificate are required (a confidential client).',
    );
  }
  if (!URL.canParse(options.redirectUri)) {
    throw new TypeError(`createOidcClient: redirectUri ${JSON.stringify(options.redirectUri)} is not a URL.`);
  }

  const log = options.log;
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const algorithms = options.idTokenAlgorithms ?? ['RS256'];
  const [signingAlgorithm = 'RS256'] = algorithms;
  const expectedTenantId = (options.expectedTenantId ?? tenantOfIssuer(options.issuer))?.toLowerCase();
  const clientAuth = options.clientCertificate
    ? privateKeyJwt(options.clientCertificate)
    : options.clientAuthMethod === 'client_secret_basic'
      ? client.ClientSecretBasic(options.clientSecret ?? '')
      : client.ClientSecretPost(options.clientSecret ?? '');

  const discovery = createOidcDiscovery({
    issuer: options.issuer,
    clientId: options.clientId,
    clientMetadata: {
      id_token_signed_response_alg: signingAlgorithm,
      [client.clockTolerance]: options.clockToleranceSeconds,
    },
    clientAuth,
    insecure,
    timeoutSeconds: options.timeoutSeconds ?? 10,
    algorithms,
    fetch: fetchImpl,
    clock,
    log,
    attempts: options.discoveryAttempts ?? 3,
    retryDelayMs: options.discoveryRetryDelayMs ?? 2000,
    cooldownMs: options.rediscoveryCooldownMs ?? 10_000,
    ...(options.checkMetadata ? { checkMetadata: options.checkMetadata } : {}),
  });
  const configuration = discovery.configuration;
  const checks = { expectedTenantId, clockToleranceSeconds: options.clockToleranceSeconds };

  return {
    issuer: options.issuer,
    start: discovery.start,
    status: discovery.status,

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
        const tokens = await toTokenSet(response, { verifier, clock, checks });
        if (!tokens.idToken || !tokens.claims) {
          throw new OidcError('invalid_token', 'The token endpoint returned no ID token.');
        }
        return { ...tokens, idToken: tokens.idToken, claims: tokens.claims };
      } catch (err) {
        throw await translateOidcError(err, 'code');
      }
    },

    async refresh(refreshToken, params = {}) {
      const { config, verifier } = await configuration();
      try {
        const response = await client.refreshTokenGrant(config, refreshToken, {
          ...(params.scope ? { scope: params.scope.join(' ') } : {}),
          ...(params.claims ? { claims: params.claims } : {}),
        });
        return await toTokenSet(response, { verifier, clock, checks });
      } catch (err) {
        throw await translateOidcError(err, 'refresh');
      }
    },

    async userInfo(accessToken, expectedSubject) {
      const { config } = await configuration();
      try {
        return { ...(await client.fetchUserInfo(config, accessToken, expectedSubject)) };
      } catch (err) {
        throw await translateOidcError(err, 'userinfo');
      }
    },

    async clientCredentials(scope) {
      const { config } = await configuration();
      try {
        const response = await client.clientCredentialsGrant(config, { scope: scope.join(' ') });
        return {
          accessToken: response.access_token,
          ...(response.expires_in ? { expiresAt: clock.now() + response.expires_in * 1000 } : {}),
        };
      } catch (err) {
        throw await translateOidcError(err, 'refresh');
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
