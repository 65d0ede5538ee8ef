/**
 * The directory queries of people search and sharing, on top of the Graph client: search users,
 * groups and `/me/people` in one `$batch`, look objects up by id, page through a group's members
 * and owners, and list the signed-in user's groups. Graph's answers become plain `DirectoryEntry`s
 * here, so the rest of the BFF never reads Graph's shapes.
 */
import { AppError } from '../http/errors';
import { directorySearch, peopleSearch } from '../principals/search-query';
import {
  GRAPH_ID_PATTERN,
  type GraphBatchRequest,
  type GraphBatchResponse,
  type GraphClient,
} from './graph-client';

export interface DirectoryEntry {
  type: 'user' | 'group';
  /** The object id. */
  id: string;
  name: string;
  email: string | null;
  /** A group's direct members (users and groups), when Graph counted them. */
  memberCount?: number;
}

/** One part of a directory search: its entries, or why it has none. */
export type SearchPart =
  | { kind: 'ok'; entries: DirectoryEntry[] }
  | { kind: 'failed'; reason: 'timeout' | 'throttled' | 'denied' | 'unavailable' };

export interface DirectorySearchInput {
  query: string;
  users: boolean;
  groups: boolean;
  /** `/me/people` too (only when People.Read was granted). */
  people: boolean;
  top: number;
  signal?: AbortSignal;
}

export interface DirectorySearchResult {
  users?: SearchPart;
  groups?: SearchPart;
  people?: SearchPart;
}

const USER_SELECT = 'id,displayName,mail,userPrincipalName';
const GROUP_SELECT = 'id,displayName,mail';
const eventual = { ConsistencyLevel: 'eventual' };

type GraphUser = {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
};
type GraphGroup = { id: string; displayName?: string | null; mail?: string | null };
type GraphPerson = {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  scoredEmailAddresses?: { address?: string }[];
  personType?: { class?: string; subclass?: string };
};
type GraphDirectoryObject = GraphUser & { '@odata.type'?: string };

export function userEntry(user: GraphUser): DirectoryEntry {
  const email = user.mail ?? user.userPrincipalName ?? null;
  return { type: 'user', id: user.id, name: user.displayName || email || user.id, email };
}

export function groupEntry(group: GraphGroup): DirectoryEntry {
  return {
    type: 'group',
    id: group.id,
    name: group.displayName || group.mail || group.id,
    email: group.mail ?? null,
  };
}

/**
 * Users, groups and people in one round trip (`$batch`; throttled parts are retried inside it).
 * A part that fails, or is still pending when `signal` fires, is reported as failed with a reason;
 * the others keep their entries. Never throws for Graph's sake, only for a programming mistake.
 */
export async function searchDirectory(
  graph: GraphClient,
  accessToken: string,
  input: DirectorySearchInput,
): Promise<DirectorySearchResult> {
  const top = String(Math.min(Math.max(input.top, 1), 50));
  const requests: GraphBatchRequest[] = [];
  if (input.users) {
    requests.push({
      id: 'users',
      path: '/users',
      query: {
        $search: directorySearch(['displayName', 'mail', 'userPrincipalName'], input.query),
        $select: USER_SELECT,
        $top: top,
      },
      headers: eventual,
    });
  }
  if (input.groups) {
    requests.push({
      id: 'groups',
      path: '/groups',
      query: {
        $search: directorySearch(['displayName', 'mail'], input.query),
        $select: GROUP_SELECT,
        $top: top,
      },
      headers: eventual,
    });
  }
  if (input.people) {
    requests.push({
      id: 'people',
      path: '/me/people',
      query: {
        $search: peopleSearch(input.query),
        $filter: "personType/class eq 'Person'",
        $select: 'id,displayName,userPrincipalName,scoredEmailAddresses,personType',
        $top: top,
      },
    });
  }
  if (requests.length === 0) return {};

  let answers: GraphBatchResponse[];
  try {
    answers = await graph.batch(accessToken, requests, input.signal ? { signal: input.signal } : {});
  } catch (err) {
    const reason = input.signal?.aborted ? 'timeout' : failureReason(err);
    return Object.fromEntries(requests.map((r) => [r.id, { kind: 'failed', reason }]));
  }
  const result: DirectorySearchResult = {};
  for (const answer of answers) {
    const id = answer.id as keyof DirectorySearchResult;
    result[id] = partOf(id, answer);
  }
  return result;
}

function partOf(id: keyof DirectorySearchResult, answer: GraphBatchResponse): SearchPart {
  if (answer.status === 429) return { kind: 'failed', reason: 'throttled' };
  if (answer.status === 401 || answer.status === 403) return { kind: 'failed', reason: 'denied' };
  if (answer.status < 200 || answer.status >= 300) return { kind: 'failed', reason: 'unavailable' };
  const value = (answer.body as { value?: unknown[] } | null)?.value;
  if (!Array.isArray(value)) return { kind: 'failed', reason: 'unavailable' };
  switch (id) {
    case 'users':
      return { kind: 'ok', entries: (value as GraphUser[]).filter(hasId).map(userEntry) };
    case 'groups':
      return { kind: 'ok', entries: (value as GraphGroup[]).filter(hasId).map(groupEntry) };
    case 'people':
      return {
        kind: 'ok',
        entries: (value as GraphPerson[])
          .filter(hasId)
          // Directory users only: their id is the object id. Contacts have ids of their own.
          .filter(
            (p) =>
              p.personType?.class !== 'Group' &&
              (p.personType?.subclass ?? 'OrganizationUser') === 'OrganizationUser',
          )
          .map((p) =>
            userEntry({
              id: p.id,
              displayName: p.displayName ?? null,
              mail: p.scoredEmailAddresses?.[0]?.address ?? null,
              userPrincipalName: p.userPrincipalName ?? null,
            }),
          ),
      };
  }
}

const hasId = (object: { id?: unknown }) => typeof object.id === 'string' && GRAPH_ID_PATTERN.test(object.id);

function failureReason(err: unknown): 'throttled' | 'denied' | 'unavailable' {
  if (err instanceof AppError) {
    if (err.code === 'forbidden' || err.code === 'interaction_required') return 'denied';
    if (/throttl/i.test(err.message)) return 'throttled';
  }
  return 'unavailable';
}

/** Groups whose members one `groupMemberCounts` call counts: one `$batch` holds 20 requests. */
export const MEMBER_COUNT_BATCH = 20;

/**
 * How many direct members each group has (`/groups/{id}/members/$count`, an advanced query, so
 * `ConsistencyLevel: eventual`), for the first `MEMBER_COUNT_BATCH` ids in one `$batch`. A group
 * whose count fails is left out; when the batch fails or `signal` fires, all are: a count is a
 * nicety beside a search result, never a reason to fail or delay it.
 */
export async function groupMemberCounts(
  graph: GraphClient,
  accessToken: string,
  groupIds: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ids = groupIds.filter((id) => GRAPH_ID_PATTERN.test(id)).slice(0, MEMBER_COUNT_BATCH);
  if (ids.length === 0) return counts;
  let answers: GraphBatchResponse[];
  try {
    answers = await graph.batch(
      accessToken,
      ids.map((id, index) => ({
        id: String(index),
        path: `/groups/${id}/members/$count`,
        headers: eventual,
      })),
      options.signal ? { signal: options.signal } : {},
    );
  } catch {
    return counts;
  }
  for (const answer of answers) {
    const id = ids[Number(answer.id)];
    const count = answer.status === 200 ? countOf(answer.body) : undefined;
    if (id !== undefined && count !== undefined) counts.set(id, count);
  }
  return counts;
}

/** A `$count` body inside a `$batch`: a number, its text, or (for text/plain) that text in base64. */
function countOf(body: unknown): number | undefined {
  if (typeof body === 'number') return Number.isSafeInteger(body) && body >= 0 ? body : undefined;
  if (typeof body !== 'string') return undefined;
  const text = /^\d+$/.test(body.trim()) ? body.trim() : Buffer.from(body, 'base64').toString('utf8').trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

export interface DirectoryRef {
  type: 'user' | 'group';
  id: string;
}

/**
 * Looks Entra users and groups up by object id, 20 to a `$batch`. Returns what Graph says about
 * each; an id Graph does not know (404, or not a GUID) is `undefined`. Other failures throw
 * `provider_unavailable`: sharing must not go ahead on a guess.
 */
export async function lookUpDirectoryObjects(
  graph: GraphClient,
  accessToken: string,
  refs: readonly DirectoryRef[],
): Promise<(DirectoryEntry | undefined)[]> {
  const answers: (DirectoryEntry | undefined)[] = refs.map(() => undefined);
  const valid = refs.map((ref, index) => ({ ref, index })).filter(({ ref }) => GRAPH_ID_PATTERN.test(ref.id));
  for (let start = 0; start < valid.length; start += 20) {
    const chunk = valid.slice(start, start + 20);
    const responses = await graph.batch(
      accessToken,
      chunk.map(({ ref, index }) => ({
        id: String(index),
        path: ref.type === 'user' ? `/users/${ref.id}` : `/groups/${ref.id}`,
        query: { $select: ref.type === 'user' ? USER_SELECT : GROUP_SELECT },
      })),
    );
    for (const response of responses) {
      const index = Number(response.id);
      const ref = refs[index]!;
      if (response.status === 404) continue;
      if (response.status < 200 || response.status >= 300) {
        throw new AppError(
          'provider_unavailable',
          'Microsoft Graph could not confirm who to share with; try again.',
          {
            cause: { status: response.status, body: response.body },
          },
        );
      }
      const body = response.body as GraphUser;
      // Graph answered about the id that was asked for, or it is not an answer.
      if (body?.id?.toLowerCase() !== ref.id.toLowerCase()) continue;
      answers[index] = ref.type === 'user' ? userEntry(body) : groupEntry(body);
    }
  }
  return answers;
}

export interface MembersPage {
  entries: DirectoryEntry[];
  /** Graph's `$skiptoken` for the next page, when there is one. */
  skipToken?: string;
}

/**
 * One page of a group's direct members or owners (users and groups; devices and service principals
 * are left out). Paging goes by `$skiptoken` only: the next request is rebuilt here from the group
 * id, so no URL from a response or the browser is ever followed.
 */
export async function groupMembersPage(
  graph: GraphClient,
  accessToken: string,
  input: { groupId: string; relation: 'members' | 'owners'; top: number; skipToken?: string },
): Promise<MembersPage> {
  if (!GRAPH_ID_PATTERN.test(input.groupId)) throw new AppError('not_found', 'No such group.');
  const body = await graph.json<{ value?: GraphDirectoryObject[]; '@odata.nextLink'?: string }>(accessToken, {
    path: `/groups/${input.groupId}/${input.relation}`,
    query: {
      $select: 'id,displayName,mail,userPrincipalName',
      $top: String(input.top),
      ...(input.skipToken ? { $skiptoken: input.skipToken } : {}),
    },
  });
  const entries: DirectoryEntry[] = [];
  for (const object of body.value ?? []) {
    if (!hasId(object)) continue;
    if (object['@odata.type'] === '#microsoft.graph.user') entries.push(userEntry(object));
    else if (object['@odata.type'] === '#microsoft.graph.group') entries.push(groupEntry(object));
  }
  const next = body['@odata.nextLink'];
  const skipToken = next && URL.canParse(next) ? new URL(next).searchParams.get('$skiptoken') : null;
  return { entries, ...(skipToken ? { skipToken } : {}) };
}

/**
 * The signed-in user's groups, transitively: `POST /me/getMemberGroups`, and past its limit
 * (11 000 ids: `Directory_ResultSizeLimitExceeded`) the paged `/me/transitiveMemberOf`. With
 * `includeOwned`, also the groups they own (`/me/ownedObjects`). Failures throw.
 */
export async function myGroupIds(
  graph: GraphClient,
  accessToken: string,
  options: { includeOwned: boolean },
): Promise<string[]> {
  let ids: string[];
  try {
    ids = await graph.collect<string>(accessToken, {
      method: 'POST',
      path: '/me/getMemberGroups',
      body: { securityEnabledOnly: false },
    });
  } catch (err) {
    if (!(err instanceof AppError && graphCodeOf(err) === 'Directory_ResultSizeLimitExceeded')) throw err;
    const groups = await graph.collect<{ id: string }>(
      accessToken,
      { path: '/me/transitiveMemberOf/microsoft.graph.group', query: { $select: 'id', $top: '999' } },
      200,
    );
    ids = groups.map((g) => g.id);
  }
  if (options.includeOwned) {
    const owned = await graph.collect<{ id: string }>(
      accessToken,
      { path: '/me/ownedObjects/microsoft.graph.group', query: { $select: 'id', $top: '999' } },
      200,
    );
    ids.push(...owned.map((g) => g.id));
  }
  return [
    ...new Set(
      ids.filter((id) => typeof id === 'string' && GRAPH_ID_PATTERN.test(id)).map((id) => id.toLowerCase()),
    ),
  ];
}

function graphCodeOf(err: AppError): string | undefined {
  const cause = err.cause as { graphCode?: unknown } | undefined;
  return typeof cause?.graphCode === 'string' ? cause.graphCode : undefined;
}

/** A group found by its display name, with what tells namesakes apart. */
export interface NamedGroup {
  id: string;
  name: string;
  description: string | null;
  mail: string | null;
}

/** `'` doubled, as OData string literals escape it. */
function odataString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The groups whose display name is `name` (Graph compares it case-insensitively), at most `top`.
 * Needs a token that may read groups (an app-only token with GroupMember.Read.All at start-up).
 */
export async function groupsNamed(
  graph: GraphClient,
  accessToken: string,
  name: string,
  top = 10,
): Promise<NamedGroup[]> {
  return namedGroups(graph, accessToken, `displayName eq ${odataString(name)}`, top);
}

/** Groups whose display name starts with `prefix`: the suggestions for a name nobody has. */
export async function groupsNamedLike(
  graph: GraphClient,
  accessToken: string,
  prefix: string,
  top = 5,
): Promise<NamedGroup[]> {
  return namedGroups(graph, accessToken, `startswith(displayName,${odataString(prefix)})`, top);
}

async function namedGroups(
  graph: GraphClient,
  accessToken: string,
  filter: string,
  top: number,
): Promise<NamedGroup[]> {
  const body = await graph.json<{ value?: (GraphGroup & { description?: string | null })[] }>(accessToken, {
    path: '/groups',
    query: { $filter: filter, $select: 'id,displayName,description,mail', $top: String(top) },
  });
  return (body.value ?? [])
    .filter((group) => typeof group?.id === 'string' && GRAPH_ID_PATTERN.test(group.id))
    .map((group) => ({
      id: group.id.toLowerCase(),
      name: group.displayName ?? group.id,
      description: group.description ?? null,
      mail: group.mail ?? null,
    }));
}

/**
 * Which of `groupIds` the signed-in user belongs to, transitively (`POST /me/checkMemberGroups`,
 * 20 ids a call): groups overage resolved for the required groups only, not all of the user's 200+.
 */
export async function myMemberGroupsAmong(
  graph: GraphClient,
  accessToken: string,
  groupIds: readonly string[],
): Promise<string[]> {
  const ids = [...new Set(groupIds.filter((id) => GRAPH_ID_PATTERN.test(id)).map((id) => id.toLowerCase()))];
  const member: string[] = [];
  for (let start = 0; start < ids.length; start += 20) {
    const found = await graph.collect<string>(accessToken, {
      method: 'POST',
      path: '/me/checkMemberGroups',
      body: { groupIds: ids.slice(start, start + 20) },
    });
    member.push(...found.filter((id) => typeof id === 'string').map((id) => id.toLowerCase()));
  }
  return member;
}
