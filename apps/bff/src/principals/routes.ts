import type { Config } from '@gatehouse/config';
import {
  type PrincipalType,
  principalSearchLimits,
  principalSearchSources,
  principalTypes,
  sharingRoutes,
} from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { SignedInEnv } from '../app-env';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { GRAPH_ID_PATTERN, type GraphClient, type GraphPhoto } from '../graph/graph-client';
import { AppError } from '../http/errors';
import type { SessionVariables } from '../session/session-middleware';
import type { SessionRecord } from '../session/session-store';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import type { UserLookup } from '../users/user-lookup';
import {
  createPrincipalSearch,
  type PrincipalSearchInput,
  type PrincipalSearchOptions,
} from './principal-search';
import { normaliseQuery } from './search-query';

export interface PrincipalRoutesDeps {
  config: Pick<Config, 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH' | 'ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS'>;
  database: DatabaseHandle;
  graph: GraphClient;
  tokens: TokenManager;
  graphResource: ResourceSpec;
  users: UserLookup;
  clock: Clock;
  log: Logger;
  signedIn: MiddlewareHandler<{ Variables: SessionVariables }>;
  /** Search timings (tests shorten the Graph timeout). */
  search?: PrincipalSearchOptions;
}

const featureDisabled = () =>
  new AppError('feature_disabled', 'People search is turned off (USE_ENTRA_ID_FOR_PEOPLE_SEARCH).');

/** `q`, `types`, `limit` and `sources` of a search, or 400 `invalid_request` naming the parameter. */
export function parseSearchQuery(query: Record<string, string | undefined>): PrincipalSearchInput {
  const q = normaliseQuery(query.q ?? '');
  if (q.length < principalSearchLimits.minQuery) {
    throw new AppError('invalid_request', `q: type at least ${principalSearchLimits.minQuery} characters.`);
  }
  if (q.length > principalSearchLimits.maxQuery) {
    throw new AppError('invalid_request', `q: at most ${principalSearchLimits.maxQuery} characters.`);
  }
  const list = <T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] => {
    if (raw === undefined || raw === '') return [...allowed];
    const values = [...new Set(raw.split(',').map((v) => v.trim()))];
    const bad = values.find((v) => !(allowed as readonly string[]).includes(v));
    if (bad !== undefined)
      throw new AppError('invalid_request', `${name}: "${bad}" is not one of ${allowed.join(', ')}.`);
    return values as T[];
  };
  const types = list<PrincipalType>('types', query.types, principalTypes);
  const sources = list('sources', query.sources, principalSearchSources);
  let limit: number = principalSearchLimits.defaultLimit;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > principalSearchLimits.maxLimit) {
      throw new AppError(
        'invalid_request',
        `limit: a whole number from 1 to ${principalSearchLimits.maxLimit}.`,
      );
    }
  }
  return { query: q, types, limit, sources };
}

/**
 * `GET /api/principals/search` and `GET /api/principals/:source/:type/:id/photo`. Search needs the
 * feature flag (404 `feature_disabled` without it) and a session, so it never runs signed out.
 * Photos: Entra users (and local users who signed in through Entra) through Graph with the
 * caller's token, cached in the BFF for an hour and never by the browser.
 */
export function createPrincipalRoutes(deps: PrincipalRoutesDeps) {
  const app = new Hono<SignedInEnv>();
  const search = createPrincipalSearch(deps, deps.search);
  // Concurrent requests for one photo share one Graph call (lru-cache merges fetches of a key);
  // no photo is cached as null, a failure is not cached.
  const photos = createLru<string, { photo: GraphPhoto | null }, { session: SessionRecord }>({
    max: 2000,
    ttlMs: 3600_000,
    clock: deps.clock,
    fetchMethod: async (objectId, _stale, { context }) => {
      const token = await deps.tokens.resourceToken(context.session, deps.graphResource);
      if (token.kind !== 'token') {
        // Thrown, not cached: it is this caller's session that has no Graph token.
        if (token.kind === 'reauthenticate' && token.reason === 'no_refresh_token') throw noPhoto();
        throw tokenFailure(token);
      }
      return { photo: (await deps.graph.userPhoto(token.accessToken, objectId)) ?? null };
    },
  });

  app.get(sharingRoutes.search, deps.signedIn, async (c) => {
    if (!deps.config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) throw featureDisabled();
    const input = parseSearchQuery(c.req.query());
    return c.json(await search(c.var.session, input), 200, { 'Cache-Control': 'no-store' });
  });

  app.get(sharingRoutes.principalPhoto, deps.signedIn, async (c) => {
    const { source, type, id } = c.req.param();
    if (type !== 'user') throw noPhoto();
    let objectId: string | undefined;
    if (source === 'entra') objectId = id;
    else if (source === 'local') {
      const user = await deps.users.byId(id);
      objectId = user?.tenantId ? user.subject : undefined;
    }
    if (!objectId || !GRAPH_ID_PATTERN.test(objectId)) throw noPhoto();
    if (!deps.config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) throw noPhoto();
    const { photo } = (await photos.fetch(objectId.toLowerCase(), { context: { session: c.var.session } }))!;
    if (!photo) throw noPhoto();
    return c.body(photo.bytes, 200, {
      'Content-Type': photo.contentType,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}

function noPhoto() {
  return new AppError('not_found', 'No photo for this principal.');
}
