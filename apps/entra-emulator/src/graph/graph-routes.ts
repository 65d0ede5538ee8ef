import type { Context } from 'hono';
import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import type { SeedGroup, SeedUser } from '../seed/types';
import { createBatchHandler } from './batch';
import { createGraphAuth, type GraphPrincipal } from './graph-auth';
import { GRAPH_JSON, GraphError, graphErrorResponse, graphErrors } from './graph-error';
import {
  DIRECTORY_RULES,
  type EntityType,
  graphLink,
  isEventual,
  page,
  readCollectionQuery,
  readSelect,
  shape,
} from './odata';
import { PERSON_PROPERTIES, peopleFor } from './people';
import { createPhotoCache, PHOTO_SIZE } from './photo';
import {
  GROUP_DEFAULT_PROPERTIES,
  GROUP_PROPERTIES,
  type GraphObject,
  groupObject,
  isUser,
  USER_DEFAULT_PROPERTIES,
  USER_PROPERTIES,
  userObject,
} from './representations';

// Delegated permissions that allow each kind of read (any one of them is enough).
const USER_READ_ALL = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
];
const SELF_READ = ['User.Read', 'User.ReadWrite', ...USER_READ_ALL];
const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
];
const PEOPLE_READ = ['People.Read', 'People.Read.All'];

const USER_TYPE: EntityType = {
  name: 'microsoft.graph.user',
  properties: USER_PROPERTIES,
  defaultProperties: USER_DEFAULT_PROPERTIES,
  searchable: [
    'displayName',
    'givenName',
    'surname',
    'mail',
    'userPrincipalName',
    'mailNickname',
    'jobTitle',
    'department',
    'officeLocation',
    'companyName',
    'employeeId',
  ],
};
const GROUP_TYPE: EntityType = {
  name: 'microsoft.graph.group',
  properties: GROUP_PROPERTIES,
  defaultProperties: GROUP_DEFAULT_PROPERTIES,
  searchable: ['displayName', 'description', 'mail', 'mailNickname'],
};
const PERSON_TYPE: EntityType = {
  name: 'microsoft.graph.person',
  properties: PERSON_PROPERTIES,
  defaultProperties: PERSON_PROPERTIES,
  searchable: ['displayName'],
};

const CASTS: Record<string, 'user' | 'group'> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
};

/**
 * Microsoft Graph v1.0, directory part, mounted at `/v1.0`. One dispatcher reads the path segments,
 * so `/me/...` and `/users/{id|upn}/...` share their handlers, as do OData casts.
 */
export function createGraphRoutes(ctx: EmulatorContext) {
  const app = new Hono();
  const auth = createGraphAuth(ctx);
  const photoOf = createPhotoCache();
  const base = `${ctx.baseUrl}/v1.0`;
  const { directory } = ctx;

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.header('request-id', requestId);
    c.header('client-request-id', c.req.header('client-request-id') ?? requestId);
    c.header('OData-Version', '4.0');
    c.header('Cache-Control', 'no-cache');
    await next();
  });

  app.post('/$batch', createBatchHandler(ctx, auth));

  app.all('*', async (c) => {
    try {
      const segments = c.req.path
        .slice('/v1.0'.length)
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      const principal = await auth.authenticate(c);
      return await dispatch(c, principal, segments);
    } catch (error) {
      if (error instanceof GraphError) return graphErrorResponse(c, error, ctx.clock());
      throw error;
    }
  });

  async function dispatch(c: Context, principal: GraphPrincipal, segments: string[]): Promise<Response> {
    const [root, ...rest] = segments;
    const method = c.req.method;
    if (root === 'me') return userResource(c, principal, principal.user, rest, true);
    if (root === 'users') {
      if (rest.length === 0) return get(method, () => listUsers(c, principal));
      if (rest[0] === '$count')
        return get(method, () => countOf(c, principal, USER_READ_ALL, directory.users().length));
      const user = directory.findUser(rest[0]!);
      // Graph accepts an id or a UPN here, not a mail address or alias.
      if (
        !user ||
        (user.id.toLowerCase() !== rest[0]!.toLowerCase() &&
          user.userPrincipalName.toLowerCase() !== rest[0]!.toLowerCase())
      ) {
        auth.requireScope(principal, USER_READ_ALL);
        throw graphErrors.notFound(rest[0]!);
      }
      return userResource(c, principal, user, rest.slice(1), user.id === principal.user.id);
    }
    if (root === 'groups') {
      if (rest.length === 0) return get(method, () => listGroups(c, principal));
      if (rest[0] === '$count')
        return get(method, () => countOf(c, principal, GROUP_READ, directory.groups().length));
      auth.requireScope(principal, GROUP_READ);
      const group = directory.findGroup(rest[0]!);
      if (!group || group.id.toLowerCase() !== rest[0]!.toLowerCase()) throw graphErrors.notFound(rest[0]!);
      return groupResource(c, principal, group, rest.slice(1));
    }
    throw graphErrors.noRoute(root ?? '');
  }

  async function userResource(
    c: Context,
    principal: GraphPrincipal,
    user: SeedUser,
    rest: string[],
    self: boolean,
  ) {
    const method = c.req.method;
    const readUser = self ? SELF_READ : USER_READ_ALL;
    const [head, ...tail] = rest;
    if (head === undefined) {
      return get(method, () => {
        auth.requireScope(principal, readUser);
        const select = readSelect(c, USER_TYPE);
        return json(c, {
          '@odata.context': `${base}/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
          ...shape(userObject(user), select, { defaults: () => USER_DEFAULT_PROPERTIES }),
        });
      });
    }
    if (head === 'photo') {
      auth.requireScope(principal, readUser);
      const png = photoOf(user);
      if (!png) {
        throw new GraphError(
          404,
          'ImageNotFound',
          "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
        );
      }
      if (tail[0] === '$value')
        return get(method, () =>
          c.body(new Uint8Array(png), 200, {
            'Content-Type': 'image/png',
            'Content-Length': String(png.length),
          }),
        );
      if (tail.length === 0) {
        return get(method, () =>
          json(c, {
            '@odata.context': `${base}/$metadata#users('${user.id}')/photo/$entity`,
            '@odata.mediaContentType': 'image/png',
            '@odata.mediaEtag': `W/"${png.length.toString(16)}${user.id.slice(0, 8)}"`,
            id: `${PHOTO_SIZE}X${PHOTO_SIZE}`,
            height: PHOTO_SIZE,
            width: PHOTO_SIZE,
          }),
        );
      }
    }
    if (head === 'memberOf' || head === 'transitiveMemberOf' || head === 'ownedObjects') {
      auth.requireScope(principal, self ? [...SELF_READ, ...GROUP_READ] : [...GROUP_READ, 'User.Read.All']);
      const groups =
        head === 'memberOf'
          ? directory.memberOf(user.id)
          : head === 'transitiveMemberOf'
            ? directory.transitiveMemberOf(user.id)
            : directory.ownedGroups(user.id);
      return get(method, () => directoryObjects(c, principal, groups, tail, 'directoryObjects'));
    }
    if (head === 'getMemberGroups' || head === 'getMemberObjects') {
      if (method !== 'POST') throw graphErrors.badRequest(`${head} must be called with POST.`);
      auth.requireScope(principal, self ? [...SELF_READ, ...GROUP_READ] : GROUP_READ);
      const body = await readJson(c);
      if (typeof body.securityEnabledOnly !== 'boolean') {
        throw graphErrors.requestBadRequest(
          "The request body must contain 'securityEnabledOnly' (true or false).",
        );
      }
      let groups = directory.transitiveMemberOf(user.id);
      if (body.securityEnabledOnly) groups = groups.filter((g) => g.securityEnabled);
      if (groups.length > 11000) {
        throw new GraphError(
          400,
          'Directory_ResultSizeLimitExceeded',
          'Request exceeds the 11000 objects limit; use transitiveMemberOf.',
        );
      }
      return json(c, {
        '@odata.context': `${base}/$metadata#Collection(Edm.String)`,
        value: groups.map((g) => g.id),
      });
    }
    if (head === 'checkMemberGroups' || head === 'checkMemberObjects') {
      if (method !== 'POST') throw graphErrors.badRequest(`${head} must be called with POST.`);
      auth.requireScope(principal, self ? [...SELF_READ, ...GROUP_READ] : GROUP_READ);
      const body = await readJson(c);
      const ids = head === 'checkMemberGroups' ? body.groupIds : body.ids;
      if (!Array.isArray(ids) || ids.length > 20 || ids.some((id) => typeof id !== 'string')) {
        throw graphErrors.requestBadRequest(
          `The request body must contain '${head === 'checkMemberGroups' ? 'groupIds' : 'ids'}': up to 20 ids.`,
        );
      }
      const mine = new Set(directory.transitiveMemberOf(user.id).map((g) => g.id.toLowerCase()));
      return json(c, {
        '@odata.context': `${base}/$metadata#Collection(Edm.String)`,
        value: (ids as string[]).filter((id) => mine.has(id.toLowerCase())),
      });
    }
    if (head === 'people' && self) {
      auth.requireScope(principal, PEOPLE_READ);
      return get(method, () => {
        const query = readCollectionQuery(c, [PERSON_TYPE], {
          defaultPageSize: 10,
          maxPageSize: 1000,
          people: true,
        });
        // People results are relevance-ranked: with $search there is no next page, as in Graph.
        const people = peopleFor(directory, user);
        const body = page(c, people, query, {
          context: `${base}/$metadata#users('${encodeURIComponent(user.id)}')/people`,
          defaults: () => PERSON_PROPERTIES,
        });
        if (query.search) delete body['@odata.nextLink'];
        else if (body['@odata.nextLink']) {
          const next = new URL(String(body['@odata.nextLink']));
          next.searchParams.delete('$skiptoken');
          next.searchParams.set('$skip', String(query.skip + query.top));
          body['@odata.nextLink'] = graphLink(next);
        }
        return json(c, body);
      });
    }
    throw graphErrors.noRoute(head);
  }

  function groupResource(c: Context, principal: GraphPrincipal, group: SeedGroup, rest: string[]) {
    const method = c.req.method;
    const [head, ...tail] = rest;
    if (head === undefined) {
      return get(method, () => {
        const select = readSelect(c, GROUP_TYPE);
        return json(c, {
          '@odata.context': `${base}/$metadata#groups${select ? `(${select.join(',')})` : ''}/$entity`,
          ...shape(groupObject(group), select, { defaults: () => GROUP_DEFAULT_PROPERTIES }),
        });
      });
    }
    if (head === 'members' || head === 'transitiveMembers' || head === 'owners') {
      const objects =
        head === 'members'
          ? directory.members(group.id)
          : head === 'transitiveMembers'
            ? directory.transitiveMembers(group.id)
            : directory.owners(group.id);
      return get(method, () => directoryObjects(c, principal, objects, tail, 'directoryObjects'));
    }
    if (head === 'photo') {
      throw new GraphError(
        404,
        'ImageNotFound',
        "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
      );
    }
    throw graphErrors.noRoute(head);
  }

  /** A directoryObject collection (members, memberOf...), with an optional cast and `$count`. */
  function directoryObjects(
    c: Context,
    principal: GraphPrincipal,
    objects: Array<SeedUser | SeedGroup>,
    tail: string[],
    entitySet: string,
  ) {
    let items = objects;
    let context = entitySet;
    let rest = tail;
    const cast = rest[0] ? CASTS[rest[0]] : undefined;
    if (rest[0] && !cast && rest[0] !== '$count') throw graphErrors.noRoute(rest[0]);
    if (cast) {
      items = items.filter((o) => (cast === 'user' ? isUser(o) : !isUser(o)));
      context = cast === 'user' ? 'users' : 'groups';
      rest = rest.slice(1);
    }
    if (rest[0] === '$count') {
      if (!isEventual(c)) throw graphErrors.requestBadRequest('$count is not currently supported.');
      return c.text(String(items.length), 200, { 'Content-Type': 'text/plain' });
    }
    if (rest.length > 0) throw graphErrors.noRoute(rest[0]!);
    // Without a permission to read users, member users come back with their id only (Graph's "limited information").
    const seesUsers =
      USER_READ_ALL.some((s) => principal.scopes.has(s.toLowerCase())) ||
      principal.scopes.has('user.read.all');
    const types = cast === 'user' ? [USER_TYPE] : cast === 'group' ? [GROUP_TYPE] : [USER_TYPE, GROUP_TYPE];
    const query = readCollectionQuery(c, types, DIRECTORY_RULES);
    const graphObjects = items.map((o) =>
      isUser(o) ? (seesUsers ? userObject(o) : limited(userObject(o))) : groupObject(o),
    );
    const body = page(c, graphObjects, query, {
      context: `${base}/$metadata#${context}${query.select ? `(${query.select.join(',')})` : ''}`,
      defaults: (o) => ('userPrincipalName' in o ? USER_DEFAULT_PROPERTIES : GROUP_DEFAULT_PROPERTIES),
      typed: (o) => ('userPrincipalName' in o ? '#microsoft.graph.user' : '#microsoft.graph.group'),
    });
    return json(c, body);
  }

  function listUsers(c: Context, principal: GraphPrincipal) {
    auth.requireScope(principal, USER_READ_ALL);
    const query = readCollectionQuery(c, [USER_TYPE], DIRECTORY_RULES);
    const body = page(c, directory.users().map(userObject), query, {
      context: `${base}/$metadata#users${query.select ? `(${query.select.join(',')})` : ''}`,
      defaults: () => USER_DEFAULT_PROPERTIES,
    });
    return json(c, body);
  }

  function listGroups(c: Context, principal: GraphPrincipal) {
    auth.requireScope(principal, GROUP_READ);
    const query = readCollectionQuery(c, [GROUP_TYPE], DIRECTORY_RULES);
    const body = page(c, directory.groups().map(groupObject), query, {
      context: `${base}/$metadata#groups${query.select ? `(${query.select.join(',')})` : ''}`,
      defaults: () => GROUP_DEFAULT_PROPERTIES,
    });
    return json(c, body);
  }

  function countOf(c: Context, principal: GraphPrincipal, scopes: string[], count: number) {
    auth.requireScope(principal, scopes);
    if (!isEventual(c)) throw graphErrors.requestBadRequest('$count is not currently supported.');
    return c.text(String(count), 200, { 'Content-Type': 'text/plain' });
  }

  return app;
}

function limited(user: GraphObject): GraphObject {
  return Object.fromEntries(Object.keys(user).map((k) => [k, k === 'id' ? user.id : null]));
}

function get(method: string, fn: () => Response | Promise<Response>): Response | Promise<Response> {
  if (method !== 'GET')
    throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed here.`);
  return fn();
}

function json(c: Context, body: unknown) {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': GRAPH_JSON });
}

async function readJson(c: Context): Promise<Record<string, unknown>> {
  try {
    const body = (await c.req.json()) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw graphErrors.requestBadRequest('The request body must be a JSON object.');
}
