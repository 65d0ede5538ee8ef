import {
  attachmentRoutes,
  type SharepointTokenResponse,
  sharepointTokenResponseSchema,
} from '@gatehouse/contracts';
// The resources module alone: the rest of the protocol stays in the picker's lazy chunk.
import { allowedResource, resourceOfScopes } from '@gatehouse/picker-protocol/resources';
import type { ApiClient } from '../../lib/api-client';

export type PickerToken = { resource: string; accessToken: string; expiresOn: Date; fromCache: boolean };

/** Why no picker token: the scopes name another resource, or the picker is off / has no site. */
export type PickerTokenRefusal = 'resource_not_allowed' | 'picker_unavailable';

export class PickerTokenRefused extends Error {
  readonly refusal: PickerTokenRefusal;
  constructor(refusal: PickerTokenRefusal, message: string) {
    super(message);
    this.name = 'PickerTokenRefused';
    this.refusal = refusal;
  }
}

export type PickerTokenSource = {
  /**
   * A SharePoint access token for the resource the scopes name (`<origin>/.default`), from
   * `POST /api/sharepoint/token`, only when that origin is the configured site or its `-my` twin.
   * Anything else is refused here, without asking the BFF. `owner` keys the in-memory cache.
   */
  acquire(scopes: readonly string[], owner: string): Promise<PickerToken>;
  /** Forgets every token (the session ended or changed hands). */
  clear(): void;
};

export type PickerTokenSourceDeps = {
  api: ApiClient;
  /** SHAREPOINT_BASE_URL when the picker is on (from `GET /api/config`), else null. */
  sharepointBaseUrl: () => Promise<string | null>;
  now?: () => number;
};

/** A token is reused until this long before it expires, so the picker never gets one about to lapse. */
export const pickerTokenMarginMs = 5 * 60_000;

/**
 * The picker's tokens, in memory only (never in browser storage): one per owner and resource, reused
 * until `expiresOn` minus a margin, with one request in flight per key.
 */
export function createPickerTokenSource(deps: PickerTokenSourceDeps): PickerTokenSource {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, SharepointTokenResponse & { expiresAt: number }>();
  const inFlight = new Map<string, Promise<PickerToken>>();
  let generation = 0;

  async function fetchToken(key: string, resource: string): Promise<PickerToken> {
    const started = generation;
    const answer = await deps.api.post(
      attachmentRoutes.sharepointToken,
      { resource },
      sharepointTokenResponseSchema,
    );
    const expiresAt = Date.parse(answer.expiresOn);
    // A session that ended meanwhile must not leave its token behind.
    if (started === generation) cache.set(key, { ...answer, expiresAt });
    return { resource, accessToken: answer.accessToken, expiresOn: new Date(expiresAt), fromCache: false };
  }

  return {
    async acquire(scopes, owner) {
      const named = resourceOfScopes(scopes);
      const baseUrl = await deps.sharepointBaseUrl();
      if (baseUrl === null) {
        throw new PickerTokenRefused(
          'picker_unavailable',
          'The SharePoint picker is not turned on for this Gatehouse.',
        );
      }
      const resource = named === null ? null : allowedResource(named, baseUrl);
      if (resource === null) {
        throw new PickerTokenRefused(
          'resource_not_allowed',
          `Gatehouse gives the browser tokens only for its SharePoint site, not for ${scopes.join(' ') || 'no scopes'}.`,
        );
      }
      const key = `${owner}\u0000${resource}`;
      const cached = cache.get(key);
      if (cached && cached.expiresAt - pickerTokenMarginMs > now()) {
        return {
          resource,
          accessToken: cached.accessToken,
          expiresOn: new Date(cached.expiresAt),
          fromCache: true,
        };
      }
      cache.delete(key);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = fetchToken(key, resource).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    clear() {
      generation += 1;
      cache.clear();
      inFlight.clear();
    },
  };
}
