import {
  conversationFilters,
  createConversationRequestSchema,
  messagePageLimits,
  postMessageRequestSchema,
  putPermissionsRequestSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import type { SignedInEnv } from '../app-env';
import type { AttachmentJobs } from '../attachments/attachment-jobs';
import type { Clock } from '../clock';
import { createConversationService } from '../conversations/conversation-service';
import { parseCursor, parseLimit, parsePageRequest } from '../conversations/paging';
import type { DatabaseHandle } from '../db/connect';
import type { GraphClient } from '../graph/graph-client';
import { createGroupRoutes, type GroupRoutesDeps } from '../groups/routes';
import { AppError } from '../http/errors';
import { createPrincipalRoutes, type PrincipalRoutesDeps } from '../principals/routes';
import type { SessionVariables } from '../session/session-middleware';
import { type ResourceSpec, type TokenManager, tokenFailure } from '../session/token-manager';
import type { UserLookup } from '../users/user-lookup';
import { createPermissionsService } from './permissions-service';
import { parseJsonBody } from './request-parsing';
import { viewerFrom } from './viewer';

export type SharingRoutesDeps = PrincipalRoutesDeps &
  GroupRoutesDeps & {
    database: DatabaseHandle;
    graph: GraphClient;
    tokens: TokenManager;
    graphResource: ResourceSpec;
    users: UserLookup;
    clock: Clock;
    /** Cancels a deleted conversation's jobs and deletes its attachment files. */
    attachmentJobs: Pick<AttachmentJobs, 'conversationDeleted'>;
    /** `requireActiveSession`: every route here is for a signed-in user. */
    signedIn: MiddlewareHandler<{ Variables: SessionVariables }>;
  };

/**
 * Conversations, their messages and their grants, plus people search and groups: the sharing part
 * of the API (contracts in `@gatehouse/contracts` `sharing.ts`). Every route needs a session; a
 * conversation the caller cannot reach at all is 404, one they reach without the right is 403.
 */
export function createSharingRoutes(deps: SharingRoutesDeps) {
  const { signedIn } = deps;
  const conversations = createConversationService({
    db: deps.database.db,
    clock: deps.clock,
    lockRows: deps.database.dialect === 'postgres',
    afterDelete: async ({ conversationId, attachmentIds }) => {
      // The deletion stands even if a file cannot be removed now; the start-up sweep removes it.
      await deps.attachmentJobs.conversationDeleted(conversationId, attachmentIds).catch((err: unknown) => {
        deps.log.warn({ err, conversationId }, 'attachment files of a deleted conversation not removed');
      });
    },
  });
  const permissions = createPermissionsService({
    db: deps.database.db,
    graph: deps.graph,
    config: deps.config,
    clock: deps.clock,
  });
  const s = new Hono<SignedInEnv>();

  s.post(sharingRoutes.conversations, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const body = await parseJsonBody(c, createConversationRequestSchema);
    return c.json(await conversations.create(viewer, body.title), 201);
  });

  s.get(sharingRoutes.conversations, signedIn, async (c) => {
    const filter = c.req.query('filter');
    if (filter !== undefined && !(conversationFilters as readonly string[]).includes(filter)) {
      throw new AppError('invalid_request', `filter: use ${conversationFilters.join(' or ')}.`);
    }
    const page = parsePageRequest({ limit: c.req.query('limit'), cursor: c.req.query('cursor') });
    const { viewer } = await viewerFrom(c, deps.users);
    const list = await conversations.list(
      viewer,
      filter as (typeof conversationFilters)[number] | undefined,
      page,
    );
    return c.json(list, 200, { 'Cache-Control': 'no-store' });
  });

  s.get(sharingRoutes.conversation, signedIn, async (c) => {
    const limit = parseLimit(c.req.query('limit'), messagePageLimits);
    const before = parseCursor(c.req.query('before'), 'before');
    const { viewer } = await viewerFrom(c, deps.users);
    const conversation = await conversations.get(
      viewer,
      c.req.param('id'),
      before ? { limit, before } : { limit },
    );
    return c.json(conversation, 200, { 'Cache-Control': 'no-store' });
  });

  s.delete(sharingRoutes.conversation, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    await conversations.delete(viewer, c.req.param('id'));
    return c.body(null, 204);
  });

  s.post(sharingRoutes.messages, signedIn, async (c) => {
    const { user, viewer } = await viewerFrom(c, deps.users);
    const body = await parseJsonBody(c, postMessageRequestSchema);
    return c.json(await conversations.postMessage(viewer, user.name, c.req.param('id'), body.text), 201);
  });

  s.get(sharingRoutes.permissions, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const grants = await permissions.get(viewer, c.req.param('id'));
    return c.json({ grants }, 200, { 'Cache-Control': 'no-store' });
  });

  s.put(sharingRoutes.permissions, signedIn, async (c) => {
    const { viewer } = await viewerFrom(c, deps.users);
    const body = await parseJsonBody(c, putPermissionsRequestSchema);
    const session = c.var.session;
    const grants = await permissions.replace(viewer, c.req.param('id'), body, async () => {
      const token = await deps.tokens.resourceToken(session, deps.graphResource);
      if (token.kind !== 'token') throw tokenFailure(token);
      return token.accessToken;
    });
    return c.json({ grants }, 200, { 'Cache-Control': 'no-store' });
  });

  s.route('/', createPrincipalRoutes(deps));
  s.route('/', createGroupRoutes(deps));
  return s;
}
