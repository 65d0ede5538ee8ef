import type { Config } from '@gatehouse/config';
import {
  createLocalGroupRequestSchema,
  type GroupMembers,
  localGroupRoutes,
  putLocalGroupMembersRequestSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import type { SignedInEnv } from '../app-env';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { groupMembersPage } from '../graph/directory';
import { GRAPH_ID_PATTERN, type GraphClient } from '../graph/graph-client';
import { AppError } from '../http/errors';
import type { SessionVariables } from '../session/session-middleware';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import { parseJsonBody } from '../sharing/request-parsing';
import { requireAdmin } from './admin-role';
import { createLocalGroups } from './local-groups';
import { decodeMembersCursor, encodeMembersCursor } from './members-cursor';

export interface GroupRoutesDeps {
  config: Pick<Config, 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH' | 'ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS'>;
  database: DatabaseHandle;
  graph: GraphClient;
  tokens: TokenManager;
  graphResource: ResourceSpec;
  clock: Clock;
  signedIn: MiddlewareHandler<{ Variables: SessionVariables }>;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

/**
 * Local groups for admins (`GET`/`POST /api/groups`, `DELETE /api/groups/local/:id`,
 * `PUT /api/groups/local/:id/members`), and `GET /api/groups/:source/:id/members` for anyone
 * signed in: who is in a group, a page at a time (Entra: through Graph with the caller's token, so
 * Graph's permissions apply; owners after members when ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS=true).
 */
export function createGroupRoutes(deps: GroupRoutesDeps) {
  const app = new Hono<SignedInEnv>();
  const groups = createLocalGroups({ db: deps.database.db, clock: deps.clock });
  const { signedIn } = deps;

  app.get(localGroupRoutes.groups, signedIn, async (c) => {
    requireAdmin(c.var.session);
    return c.json({ groups: await groups.list() }, 200, { 'Cache-Control': 'no-store' });
  });

  app.post(localGroupRoutes.groups, signedIn, async (c) => {
    requireAdmin(c.var.session);
    const body = await parseJsonBody(c, createLocalGroupRequestSchema);
    return c.json(await groups.create(c.var.session.userId, body), 201);
  });

  app.delete(localGroupRoutes.localGroup, signedIn, async (c) => {
    requireAdmin(c.var.session);
    await groups.delete(c.var.session.userId, c.req.param('id'));
    return c.body(null, 204);
  });

  app.put(localGroupRoutes.localGroupMembers, signedIn, async (c) => {
    requireAdmin(c.var.session);
    const body = await parseJsonBody(c, putLocalGroupMembersRequestSchema);
    const notLocalUser = body.members.findIndex((m) => m.source !== 'local' || m.type !== 'user');
    if (notLocalUser >= 0) {
      throw new AppError(
        'invalid_request',
        `members[${notLocalUser}]: a local group holds local users only.`,
      );
    }
    await groups.replaceMembers(
      c.var.session.userId,
      c.req.param('id'),
      body.members.map((m) => m.id),
    );
    return c.body(null, 204);
  });

  app.get(sharingRoutes.groupMembers, signedIn, async (c) => {
    const { source, id } = c.req.param();
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? DEFAULT_PAGE : Number(limitText);
    if (limitText !== undefined && (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_PAGE)) {
      throw new AppError('invalid_request', `limit: a whole number from 1 to ${MAX_PAGE}.`);
    }
    const cursor = decodeMembersCursor(c.req.query('cursor'));
    let page: GroupMembers;
    if (source === 'local') {
      const offset = cursor?.kind === 'local' ? cursor.offset : 0;
      const { members, more } = await groups.members(id, offset, limit);
      page = {
        members: members.map((m) => ({ type: 'user', source: 'local', ...m, relation: 'member' })),
        ...(more ? { nextCursor: encodeMembersCursor({ kind: 'local', offset: offset + limit }) } : {}),
      };
    } else if (source === 'entra') {
      if (!deps.config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) {
        throw new AppError(
          'feature_disabled',
          'Entra groups are turned off (USE_ENTRA_ID_FOR_PEOPLE_SEARCH).',
        );
      }
      if (!GRAPH_ID_PATTERN.test(id)) throw new AppError('not_found', 'No such group.');
      const token = await deps.tokens.resourceToken(c.var.session, deps.graphResource);
      if (token.kind !== 'token') throw tokenFailure(token);
      const relation = cursor?.kind === 'entra' ? cursor.relation : 'members';
      const result = await groupMembersPage(deps.graph, token.accessToken, {
        groupId: id,
        relation,
        top: limit,
        ...(cursor?.kind === 'entra' && cursor.skipToken ? { skipToken: cursor.skipToken } : {}),
      });
      const next = result.skipToken
        ? encodeMembersCursor({ kind: 'entra', relation, skipToken: result.skipToken })
        : relation === 'members' && deps.config.ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS
          ? encodeMembersCursor({ kind: 'entra', relation: 'owners' })
          : undefined;
      page = {
        members: result.entries.map((e) => ({
          ...e,
          source: 'entra',
          relation: relation === 'owners' ? 'owner' : 'member',
        })),
        ...(next ? { nextCursor: next } : {}),
      };
    } else {
      throw new AppError('not_found', 'No such group.');
    }
    return c.json(page, 200, { 'Cache-Control': 'no-store' });
  });

  return app;
}
