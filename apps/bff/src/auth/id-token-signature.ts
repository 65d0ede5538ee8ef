import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { createLru } from '../cache/lru';
import { createSingleFlight } from '../cache/single-flight';
import type { Clock } from '../clock';

/**
 * Verifies the signature of ID tokens that come from the token endpoint, against the provider's
 * JWKS. openid-client v6 validates every claim of those tokens but, by default, trusts their
 * signature to TLS (OIDC Core §3.1.3.7 item 6 allows it); `enableNonRepudiationChecks(config)` is the
 * call that turns the check on. We verify here instead because that check's JWKS cache (oauth4webapi)
 * refetches on an unknown `kid` only once its copy is 60 s old, so sign-ins fail for up to a minute
 * after a key rotation. This cache refetches at once on a `kid` it has never seen — once: if the
 * fresh set still lacks it, that `kid` fails without further fetches until `unknownKidCooldownMs`
 * passes, so a bad token cannot turn into a fetch loop.
 */
export interface IdTokenSignatureVerifier {
  /** Resolves when the signature is valid; throws `IdTokenSignatureError` otherwise. */
  verify(jwt: string): Promise<void>;
  /** How many times the key set was downloaded (for tests and diagnostics). */
  readonly fetchCount: number;
}

export interface IdTokenSignatureVerifierOptions {
  jwksUri: string;
  fetch: typeof fetch;
  clock: Clock;
  /** Accepted `alg` values (the client's `id_token_signed_response_alg`). */
  algorithms: readonly string[];
  /** A key set older than this is downloaded again before use. Default 10 minutes. */
  maxAgeMs?: number;
  /** After a refetch that still lacks a `kid`, that `kid` is not fetched for again for this long. */
  unknownKidCooldownMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

export type IdTokenSignatureErrorCode = 'malformed' | 'unknown_key' | 'bad_signature' | 'jwks_unavailable';

export class IdTokenSignatureError extends Error {
  readonly code: IdTokenSignatureErrorCode;
  constructor(code: IdTokenSignatureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdTokenSignatureError';
    this.code = code;
  }
}

export function createIdTokenSignatureVerifier(
  options: IdTokenSignatureVerifierOptions,
): IdTokenSignatureVerifier {
  if (!URL.canParse(options.jwksUri)) {
    throw new TypeError(
      `createIdTokenSignatureVerifier: jwksUri ${JSON.stringify(options.jwksUri)} is not a URL.`,
    );
  }
  if (
    options.algorithms.length === 0 ||
    options.algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))
  ) {
    throw new TypeError('createIdTokenSignatureVerifier: algorithms must be asymmetric JWS algorithms.');
  }
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const cooldownMs = options.unknownKidCooldownMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { clock } = options;

  let cached: { jwks: JSONWebKeySet; kids: Set<string>; fetchedAt: number } | undefined;
  const downloads = createSingleFlight<'jwks', NonNullable<typeof cached>>();
  // Kids not in the key set even after a fresh download: asked again only after the cooldown.
  // Bounded, as the kid is whatever a token's header says.
  const unknownKids = createLru<string, true>({ max: 1000, ttlMs: cooldownMs, clock });
  let fetchCount = 0;

  async function download() {
    fetchCount += 1;
    let response: Response;
    try {
      response = await options.fetch(options.jwksUri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new IdTokenSignatureError(
        'jwks_unavailable',
        `Could not fetch the provider's keys (${options.jwksUri}).`,
        {
          cause,
        },
      );
    }
    const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys)) {
      throw new IdTokenSignatureError(
        'jwks_unavailable',
        `The provider's key set at ${options.jwksUri} answered ${response.status} without a JSON "keys" array.`,
      );
    }
    const jwks = { keys } as JSONWebKeySet;
    const kids = new Set(keys.flatMap((k: { kid?: unknown }) => (typeof k.kid === 'string' ? [k.kid] : [])));
    cached = { jwks, kids, fetchedAt: clock.now() };
    return cached;
  }

  /** One download at a time; every caller waiting meanwhile shares it. */
  const refetch = () => downloads.run('jwks', download);

  async function keysFor(kid: string | undefined) {
    let current = cached && clock.now() - cached.fetchedAt < maxAgeMs ? cached : await refetch();
    if (kid !== undefined && !current.kids.has(kid)) {
      if (unknownKids.has(kid)) {
        throw new IdTokenSignatureError('unknown_key', `No key with kid "${kid}" in the provider's key set.`);
      }
      current = await refetch();
      if (!current.kids.has(kid)) {
        unknownKids.set(kid, true);
        throw new IdTokenSignatureError(
          'unknown_key',
          `No key with kid "${kid}" in the provider's key set, even after fetching it again.`,
        );
      }
      unknownKids.delete(kid);
    }
    return current.jwks;
  }

  return {
    get fetchCount() {
      return fetchCount;
    },

    async verify(jwt) {
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(jwt);
      } catch (cause) {
        throw new IdTokenSignatureError('malformed', 'The ID token is not a compact JWS.', { cause });
      }
      if (typeof header.alg !== 'string' || !options.algorithms.includes(header.alg)) {
        throw new IdTokenSignatureError(
          'bad_signature',
          `The ID token is signed with alg ${JSON.stringify(header.alg)}; expected one of ${options.algorithms.join(', ')}.`,
        );
      }
      const jwks = await keysFor(typeof header.kid === 'string' ? header.kid : undefined);
      try {
        await compactVerify(jwt, createLocalJWKSet(jwks), { algorithms: [...options.algorithms] });
      } catch (cause) {
        throw new IdTokenSignatureError('bad_signature', 'The ID token signature does not verify.', {
          cause,
        });
      }
    },
  };
}
