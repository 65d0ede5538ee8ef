import * as client from 'openid-client';
import type { Logger } from 'pino';
import { createSingleFlight } from '../cache/single-flight';
import type { Clock } from '../clock';
import { createIdTokenSignatureVerifier, type IdTokenSignatureVerifier } from './id-token-signature';
import { OidcError } from './oidc-error';
import { translateOidcError } from './oidc-error-translation';

export interface OidcStatus {
  ready: boolean;
  issuer: string;
  /** Why the provider is not usable, for `/readyz` and logs. */
  error?: string;
  /** Epoch ms of the last discovery attempt. */
  lastAttemptAt?: number;
}

export interface OidcDiscoveryOptions {
  /** `OPENID_ISSUER`, as configured. */
  issuer: string;
  clientId: string;
  clientMetadata: Partial<client.ClientMetadata>;
  clientAuth: client.ClientAuth;
  /** Plain http allowed (a provider on this machine only, see `isLoopbackHttp` of @gatehouse/config). */
  insecure: boolean;
  timeoutSeconds: number;
  /** Accepted ID-token `alg` values. */
  algorithms: string[];
  fetch: typeof fetch;
  clock: Clock;
  log: Logger;
  /** Discovery attempts at start-up and the pause between them. */
  attempts: number;
  retryDelayMs: number;
  /** After a failed discovery, the next request waits this long before trying again. */
  cooldownMs: number;
  /** Refuses metadata the configuration does not fit (another Microsoft cloud): the reason, or undefined. */
  checkMetadata?: (metadata: Readonly<Record<string, unknown>>) => string | undefined;
}

export interface OidcDiscovery {
  /** The discovered configuration and ID-token verifier; discovers lazily (once per cooldown) while the provider is down. */
  configuration(): Promise<{ config: client.Configuration; verifier: IdTokenSignatureVerifier }>;
  /** Discovery with retries at start-up; resolves `false` (never throws) if the provider stays unreachable. */
  start(): Promise<boolean>;
  status(): OidcStatus;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The provider's metadata and signing keys: fetched at start-up with retries, then on demand while
 * the provider is down (one attempt in flight for every caller, at most one per cooldown).
 */
export function createOidcDiscovery(options: OidcDiscoveryOptions): OidcDiscovery {
  const { clock, log } = options;
  const fetchImpl = options.fetch;
  const attempts = Math.max(1, options.attempts);
  const { retryDelayMs, cooldownMs } = options;

  let discovered: { config: client.Configuration; verifier: IdTokenSignatureVerifier } | undefined;
  const discoveries = createSingleFlight<'discovery', NonNullable<typeof discovered>>();
  let lastError: OidcError | undefined;
  let lastAttemptAt: number | undefined;

  async function discoverOnce() {
    lastAttemptAt = clock.now();
    try {
      const config = await client.discovery(
        new URL(options.issuer),
        options.clientId,
        options.clientMetadata,
        options.clientAuth,
        {
          [client.customFetch]: (url, init) => fetchImpl(url, init as RequestInit),
          timeout: options.timeoutSeconds,
          // Only ever for a provider on this machine: see `isLoopbackHttp` of @gatehouse/config.
          execute: options.insecure ? [client.allowInsecureRequests] : [],
        },
      );
      const metadata = config.serverMetadata();
      if (!metadata.jwks_uri) {
        throw new OidcError(
          'provider_error',
          `The provider's metadata at ${options.issuer} has no jwks_uri.`,
        );
      }
      const refused = options.checkMetadata?.(metadata as Readonly<Record<string, unknown>>);
      if (refused) throw new OidcError('provider_error', refused);
      const verifier = createIdTokenSignatureVerifier({
        jwksUri: metadata.jwks_uri,
        fetch: fetchImpl,
        clock,
        algorithms: options.algorithms,
      });
      lastError = undefined;
      log.info({ issuer: metadata.issuer }, 'OpenID provider metadata loaded');
      return { config, verifier };
    } catch (err) {
      const error = await translateOidcError(err, 'discovery');
      lastError = error;
      throw error;
    }
  }

  /** The discovered configuration; re-discovers lazily (at most once per cooldown) while the provider is down. */
  async function configuration() {
    if (discovered) return discovered;
    // Callers arriving while an attempt runs share it; within the cooldown after a failure they
    // share (and get) its error instead of starting another.
    discovered = await discoveries.run('discovery', async () => {
      if (lastError && lastAttemptAt !== undefined && clock.now() - lastAttemptAt < cooldownMs)
        throw lastError;
      return discoverOnce();
    });
    return discovered;
  }

  async function start() {
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
  }

  function status(): OidcStatus {
    return {
      ready: discovered !== undefined,
      issuer: discovered?.config.serverMetadata().issuer ?? options.issuer,
      ...(discovered === undefined && lastError ? { error: lastError.message } : {}),
      ...(lastAttemptAt === undefined ? {} : { lastAttemptAt }),
    };
  }

  return { configuration, start, status };
}
