import type { Handler } from 'hono';
import type { SignedInEnv } from '../app-env';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';
import type { GraphClient, GraphPhoto } from '../graph/graph-client';
import { AppError } from '../http/errors';
import type { SessionRecord } from '../session/session-store';
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
  /** Users kept at once; the least recently used go first. Default 1000. */
  maxEntries?: number;
}

/**
 * `GET /api/me/photo`: the signed-in user's photo, proxied from Graph `/me/photo/$value` with a
 * Graph token from the token manager, and cached per user (a photo rarely changes; Graph throttles).
 * No photo → 404 `{ error: 'not_found' }`, and the SPA shows initials. The browser never sees
 * the Graph token.
 */
export function createMePhotoHandler(deps: MePhotoDeps, options: MePhotoOptions = {}): Handler<SignedInEnv> {
  // One Graph call per user however many tabs ask at once (lru-cache merges concurrent fetches);
  // the absence of a photo is cached too (null), a failure is not.
  const photos = createLru<string, { photo: GraphPhoto | null }, SessionRecord>({
    max: options.maxEntries ?? 1000,
    ttlMs: options.ttlMs ?? 3600_000,
    clock: deps.clock,
    fetchMethod: async (_userId, _stale, { context: session }) => {
      const token = await deps.tokens.resourceToken(session, deps.graphResource);
      if (token.kind !== 'token') {
        // Without token reuse there is no Graph token: no photo, the SPA shows initials.
        if (token.kind === 'reauthenticate' && token.reason === 'no_refresh_token') throw noPhoto();
        throw tokenFailure(token);
      }
      return { photo: (await deps.graph.myPhoto(token.accessToken)) ?? null };
    },
  });

  return async function mePhoto(c) {
    const session = c.var.session;
    const { photo } = (await photos.fetch(session.userId, { context: session }))!;
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
