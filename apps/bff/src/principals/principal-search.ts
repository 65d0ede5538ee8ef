import type { Config } from '@gatehouse/config';
import type { PrincipalType, SearchResponse } from '@gatehouse/contracts';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import {
  type DirectoryEntry,
  groupMemberCounts,
  MEMBER_COUNT_BATCH,
  type SearchPart,
  searchDirectory,
} from '../graph/directory';
import type { GraphClient } from '../graph/graph-client';
import type { SessionRecord } from '../session/session-store';
import { needsSignIn, type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import { type Candidate, mergeResults } from './rank';
import { likeContains } from './search-query';

export interface PrincipalSearchDeps {
  config: Pick<Config, 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH'>;
  database: DatabaseHandle;
  graph: GraphClient;
  tokens: Pick<TokenManager, 'resourceToken'>;
  graphResource: ResourceSpec;
  clock: Clock;
  log: Logger;
}

export interface PrincipalSearchOptions {
  /** How long Graph may take before the local results go out alone, marked partial (default 2.5 s). */
  graphTimeoutMs?: number;
  /** How long a user's complete directory answer for one query is reused (default 60 s). */
  cacheTtlMs?: number;
  /** Answers cached at most, over all users (default 2000). */
  cacheMax?: number;
}

export interface PrincipalSearchInput {
  /** Normalised, at least 2 characters. */
  query: string;
  types: readonly PrincipalType[];
  limit: number;
  /** `local` and/or `entra` (default both): the SPA may ask for local hits first, then the rest. */
  sources: readonly ('local' | 'entra')[];
}

type DirectoryParts = { users?: SearchPart; groups?: SearchPart; people?: SearchPart };

const reasonText: Record<Extract<SearchPart, { kind: 'failed' }>['reason'], string> = {
  timeout: 'did not answer in time',
  throttled: 'is busy (throttled)',
  denied: 'refused the search (missing permission)',
  unavailable: 'could not be reached',
};

/**
 * People search: local users and groups from the database, and — with USE_ENTRA_ID_FOR_PEOPLE_SEARCH —
 * Entra users, groups and `/me/people` (when People.Read was granted) in one Graph `$batch` running
 * alongside, each bounded by `graphTimeoutMs`. A slow or failed directory never fails the search:
 * the local results go out with `partial: true` and a reason per failed part. Complete directory
 * answers are cached per user and query for a minute (typing back and forth costs nothing).
 */
export function createPrincipalSearch(deps: PrincipalSearchDeps, options: PrincipalSearchOptions = {}) {
  const graphTimeoutMs = options.graphTimeoutMs ?? 2500;
  const cache = createLru<string, DirectoryEntry[]>({
    max: options.cacheMax ?? 2000,
    ttlMs: options.cacheTtlMs ?? 60_000,
    clock: deps.clock,
  });
  const { db } = deps.database;

  async function searchLocal(input: PrincipalSearchInput): Promise<Candidate[]> {
    const pattern = likeContains(input.query);
    const found: Candidate[] = [];
    const take = Math.min(input.limit * 2, 100);
    if (input.types.includes('user')) {
      const users = await db
        .selectFrom('users')
        .select(['id', 'name', 'email', 'tenant_id', 'subject'])
        .where((eb) =>
          eb.or([
            sql<boolean>`lower(${eb.ref('name')}) like ${pattern} escape '\\'`,
            sql<boolean>`lower(${eb.ref('email')}) like ${pattern} escape '\\'`,
            sql<boolean>`lower(${eb.ref('username')}) like ${pattern} escape '\\'`,
          ]),
        )
        .orderBy('name')
        .limit(take)
        .execute();
      for (const u of users) {
        found.push({
          type: 'user',
          source: 'local',
          id: u.id,
          name: u.name || u.email || u.id,
          email: u.email || null,
          // Signed in through Entra: the same person as the directory entry with this object id.
          ...(u.tenant_id ? { objectId: u.subject } : {}),
          trustedEmail: !!u.tenant_id,
          origin: 'local',
        });
      }
    }
    if (input.types.includes('group')) {
      const groups = await db
        .selectFrom('local_groups')
        .select((eb) => [
          'id',
          'name',
          eb
            .selectFrom('local_group_members')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('local_group_members.group_id', '=', 'local_groups.id')
            .as('member_count'),
        ])
        .where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
        .orderBy('name')
        .limit(take)
        .execute();
      for (const g of groups) {
        found.push({
          type: 'group',
          source: 'local',
          id: g.id,
          name: g.name,
          email: null,
          memberCount: Number(g.member_count ?? 0),
          trustedEmail: false,
          origin: 'local',
        });
      }
    }
    return found;
  }

  /**
   * Puts member counts on the group hits (a second `$batch`, only when there are group hits), within
   * what is left of the search's budget. Missing counts do not make the answer partial; whether all
   * came back decides whether the answer may be cached.
   */
  async function addMemberCounts(accessToken: string, groups: SearchPart | undefined, signal: AbortSignal) {
    if (groups?.kind !== 'ok' || groups.entries.length === 0) return true;
    const counted = groups.entries.slice(0, MEMBER_COUNT_BATCH);
    const counts = await groupMemberCounts(
      deps.graph,
      accessToken,
      counted.map((g) => g.id),
      { signal },
    );
    for (const group of counted) {
      const count = counts.get(group.id);
      if (count !== undefined) group.memberCount = count;
    }
    return counts.size === counted.length;
  }

  async function searchEntra(
    session: SessionRecord,
    input: PrincipalSearchInput,
  ): Promise<{ entries: Candidate[]; reasons: string[] }> {
    const key = `${session.userId}\u0000${input.types.join(',')}\u0000${input.limit}\u0000${input.query.toLowerCase()}`;
    const cached = cache.get(key);
    if (cached) return { entries: cached.map(entraCandidate), reasons: [] };

    const token = await deps.tokens.resourceToken(session, deps.graphResource);
    // The sign-in is over (e.g. no refresh token and the token expired): the same 401 as every route.
    if (token.kind === 'reauthenticate' && needsSignIn(token)) throw tokenFailure(token);
    if (token.kind !== 'token') {
      deps.log.info(
        { reason: token.kind === 'failed' ? token.code : token.reason },
        'people search without a Graph token',
      );
      return {
        entries: [],
        reasons: [
          token.kind === 'reauthenticate'
            ? 'The directory could not be searched: sign in again to allow it.'
            : 'The directory could not be searched: the identity provider is unavailable.',
        ],
      };
    }
    const granted = (token.session.resourceTokens[deps.graphResource.resource]?.scope ?? '').split(/\s+/);
    const people =
      input.types.includes('user') && granted.some((s) => /(^|\/)people\.read(\.all)?$/i.test(s));
    // One budget for both round trips: the search, then the member counts of its group hits.
    const signal = AbortSignal.timeout(graphTimeoutMs);
    const parts: DirectoryParts = await searchDirectory(deps.graph, token.accessToken, {
      query: input.query,
      users: input.types.includes('user'),
      groups: input.types.includes('group'),
      people,
      top: input.limit,
      signal,
    });
    const countsComplete = await addMemberCounts(token.accessToken, parts.groups, signal);
    const entries: DirectoryEntry[] = [];
    const failed: { name: keyof DirectoryParts; reason: keyof typeof reasonText }[] = [];
    for (const name of ['users', 'groups', 'people'] as const) {
      const part = parts[name];
      if (!part) continue;
      if (part.kind === 'ok')
        entries.push(...part.entries.map((e) => ({ ...e, origin: name }) as DirectoryEntry));
      else failed.push({ name, reason: part.reason });
    }
    if (failed.length > 0) {
      deps.log.warn({ failed }, 'people search: directory parts failed; results are partial');
    }
    const labels = { users: 'Directory users', groups: 'Directory groups', people: 'Your frequent contacts' };
    const reasons =
      failed.length > 0 &&
      failed.length === Object.keys(parts).length &&
      failed.every((f) => f.reason === failed[0]!.reason)
        ? [`The directory ${reasonText[failed[0]!.reason]}: showing Gatehouse accounts and groups only.`]
        : failed.map((f) => `${labels[f.name]}: the directory ${reasonText[f.reason]}.`);
    if (reasons.length === 0 && countsComplete) cache.set(key, entries);
    return { entries: entries.map(entraCandidate), reasons };
  }

  return async function searchPrincipals(
    session: SessionRecord,
    input: PrincipalSearchInput,
  ): Promise<SearchResponse> {
    const wantEntra = deps.config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH && input.sources.includes('entra');
    const [local, entra] = await Promise.all([
      input.sources.includes('local') ? searchLocal(input) : Promise.resolve([]),
      wantEntra ? searchEntra(session, input) : Promise.resolve({ entries: [], reasons: [] }),
    ]);
    const results = mergeResults(input.query, [...local, ...entra.entries], input.limit);
    return entra.reasons.length > 0
      ? { results, partial: true, reasons: entra.reasons }
      : { results, partial: false };
  };
}

function entraCandidate(entry: DirectoryEntry & { origin?: Candidate['origin'] }): Candidate {
  return {
    type: entry.type,
    source: 'entra',
    id: entry.id.toLowerCase(),
    name: entry.name,
    email: entry.email,
    objectId: entry.id,
    ...(entry.memberCount === undefined ? {} : { memberCount: entry.memberCount }),
    trustedEmail: true,
    origin: entry.origin ?? (entry.type === 'user' ? 'users' : 'groups'),
  };
}

export type PrincipalSearch = ReturnType<typeof createPrincipalSearch>;
