import type { Handler } from 'hono';
import type { SignedInEnv } from '../app-env';
import type { Clock } from '../clock';
import type { GraphClient, GraphPhoto } from '../graph/graph-client';
import { AppError } from '../http/errors';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';

export interface MePhotoDeps {
  graph: GraphClient;
  tokens: TokenManager;
  graphResource: ResourceSpec;
  clock: Clock;
}

export interface MePhotoOptions {
  /** How long a photo (or its absence) is kept per user. Default 1 hour. */
  ttlMs?: number;
  /** Users kept at once; the least recently fetched go first. Default 1000. */
  maxEntries?: number;
}

/**
 * `GET /api/me/photo`: the signed-in user's photo, proxied from Graph `/me/photo/$value` with a
 * Graph token from the token manager, and cached per user (a photo rarely changes; Graph throttles).
 * No photo → 404 `{ error: 'not_found' }`, and the SPA shows initials. The browser never sees
 * the Graph token.
 */
export function createMePhotoHandler(deps: MePhotoDeps, options: MePhotoOptions = {}): Handler<SignedInEnv> {
  const ttlMs = options.ttlMs ?? 3600_000;
  const maxEntries = options.maxEntries ?? 1000;
  const cache = new Map<string, { photo: GraphPhoto | undefined; expiresAt: number }>();
  const pending = new Map<string, Promise<GraphPhoto | undefined>>();

  async function fetchPhoto(userId: string, accessToken: string) {
    let request = pending.get(userId);
    if (!request) {
      request = deps.graph.myPhoto(accessToken).finally(() => pending.delete(userId));
      pending.set(userId, request);
    }
    const photo = await request;
    cache.delete(userId);
    cache.set(userId, { photo, expiresAt: deps.clock.now() + ttlMs });
    for (const key of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(key);
    }
    return photo;
  }

  return async function mePhoto(c) {
    const session = c.var.session;
    const cached = cache.get(session.userId);
    let photo: GraphPhoto | undefined;
    if (cached && cached.expiresAt > deps.clock.now()) {
      photo = cached.photo;
    } else {
      const token = await deps.tokens.resourceToken(session, deps.graphResource);
      if (token.kind !== 'token') {
        // Without token reuse there is no Graph token: no photo, the SPA shows initials.
        if (token.kind === 'reauthenticate' && token.reason === 'no_refresh_token') throw noPhoto();
        throw tokenFailure(token);
      }
      photo = await fetchPhoto(session.userId, token.accessToken);
    }
    if (!photo) throw noPhoto();
    return c.body(photo.bytes, 200, {
      'Content-Type': photo.contentType,
      // Not cacheable by the browser: the URL is the same for every user, so a cached copy would
      // show the previous user's photo after a sign-in as someone else. The BFF caches it instead.
      'Cache-Control': 'no-store',
    });
  };
}

function noPhoto() {
  return new AppError('not_found', 'This user has no photo.');
}
