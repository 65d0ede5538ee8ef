import {
  type ConversationSummary,
  conversationCreatedSchema,
  conversationFilters,
  conversationListSchema,
  conversationPageLimits,
  conversationSchema,
  createConversationRequestSchema,
  type Grant,
  messagePageLimits,
  permissionsSchema,
  postMessageRequestSchema,
  putPermissionsRequestSchema,
  type ShareRole,
  sharingRoutes,
} from '@gatehouse/contracts';
import { HttpResponse, http, type PathParams } from 'msw';
import { apiError, bff, checkRequest, loginRequired } from '../bff';
import { type MockConversation, roleOf, samePrincipal, sharingBff, signedInPrincipal } from '../sharing-bff';

const pattern = (template: string) => `*${template}`;

export type Access =
  | { kind: 'refused'; response: Response }
  | { kind: 'ok'; conversation: MockConversation; role: ShareRole; userId: string };

/** Session, CSRF, existence and the role the route needs, in the BFF's order (404 hides existence). */
export function access(request: Request, params: PathParams, needs: ShareRole): Access {
  const refused = checkRequest(request);
  if (refused) return { kind: 'refused', response: refused };
  const user = bff.session?.user;
  if (!user) return { kind: 'refused', response: loginRequired() };
  const conversation = sharingBff.conversations.find((candidate) => candidate.id === params.id);
  const role = conversation ? roleOf(conversation, user.id) : null;
  if (!conversation || !role) {
    return {
      kind: 'refused',
      response: apiError(404, { error: 'not_found', message: 'No such conversation' }),
    };
  }
  const rank = { viewer: 1, editor: 2, owner: 3 };
  if (rank[role] < rank[needs]) {
    return {
      kind: 'refused',
      response: apiError(403, { error: 'forbidden', message: `Only an ${needs} can do this` }),
    };
  }
  return { kind: 'ok', conversation, role, userId: user.id };
}

export const conversationHandlers = [
  http.get(pattern(sharingRoutes.conversations), ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    const user = bff.session?.user;
    if (!user) return loginRequired();
    const filter = new URL(request.url).searchParams.get('filter') ?? 'mine';
    if (!(conversationFilters as readonly string[]).includes(filter)) {
      return apiError(400, { error: 'invalid_request', message: 'filter: mine or shared' });
    }
    const conversations: ConversationSummary[] = [];
    for (const conversation of sharingBff.conversations) {
      const role = roleOf(conversation, user.id);
      const mine = conversation.owner.id === user.id;
      if (!role || (filter === 'mine') !== mine) continue;
      const { id, title, owner, updatedAt } = conversation;
      conversations.push({ id, title, role, owner, updatedAt });
    }
    // Pages as the BFF does (newest first, `limit` 50 by default); the cursor is opaque to the SPA.
    conversations.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
    const params = new URL(request.url).searchParams;
    const limit = Number(params.get('limit') ?? conversationPageLimits.default);
    const start = Number(params.get('cursor')?.replace(/^offset-/, '') ?? 0);
    const next = start + limit < conversations.length ? `offset-${start + limit}` : null;
    return HttpResponse.json(
      conversationListSchema.parse({
        conversations: conversations.slice(start, start + limit),
        nextCursor: next,
      }),
    );
  }),

  http.post(pattern(sharingRoutes.conversations), async ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    const owner = signedInPrincipal();
    if (!owner) return loginRequired();
    const body = createConversationRequestSchema.safeParse(await request.json());
    if (!body.success) return apiError(400, { error: 'invalid_request', message: 'title: 1–200 characters' });
    const now = new Date().toISOString();
    const id = `c-${sharingBff.nextId++}`;
    sharingBff.conversations.push({
      id,
      title: body.data.title,
      owner: { id: owner.id, name: owner.name },
      createdAt: now,
      updatedAt: now,
      messages: [],
      grants: [{ principal: owner, role: 'owner' }],
    });
    return HttpResponse.json(
      conversationCreatedSchema.parse({ id, title: body.data.title, role: 'owner', createdAt: now }),
      {
        status: 201,
      },
    );
  }),

  http.get(pattern(sharingRoutes.conversation), ({ request, params }) => {
    const checked = access(request, params, 'viewer');
    if (checked.kind === 'refused') return checked.response;
    const { id, title, messages } = checked.conversation;
    // The latest `limit` (100) messages before `before`, as the BFF pages them; the cursor is an index here.
    const query = new URL(request.url).searchParams;
    const limit = Number(query.get('limit') ?? messagePageLimits.default);
    const end = Number(query.get('before')?.replace(/^index-/, '') ?? messages.length);
    const start = Math.max(0, end - limit);
    return HttpResponse.json(
      conversationSchema.parse({
        id,
        title,
        role: checked.role,
        messages: messages.slice(start, end),
        earlierCursor: start > 0 ? `index-${start}` : null,
      }),
    );
  }),

  http.delete(pattern(sharingRoutes.conversation), ({ request, params }) => {
    const checked = access(request, params, 'owner');
    if (checked.kind === 'refused') return checked.response;
    sharingBff.conversations = sharingBff.conversations.filter((c) => c !== checked.conversation);
    return new HttpResponse(null, { status: 204 });
  }),

  http.post(pattern(sharingRoutes.messages), async ({ request, params }) => {
    const checked = access(request, params, 'editor');
    if (checked.kind === 'refused') return checked.response;
    const body = postMessageRequestSchema.safeParse(await request.json());
    if (!body.success)
      return apiError(400, { error: 'invalid_request', message: 'text: 1–10000 characters' });
    const author = signedInPrincipal();
    const { conversation } = checked;
    const message = {
      id: `${conversation.id}-m${conversation.messages.length + 1}`,
      author: { id: author?.id ?? '', name: author?.name ?? '' },
      text: body.data.text,
      createdAt: new Date().toISOString(),
    };
    conversation.messages.push(message);
    conversation.updatedAt = message.createdAt;
    return HttpResponse.json(message, { status: 201 });
  }),

  http.get(pattern(sharingRoutes.permissions), ({ request, params }) => {
    const checked = access(request, params, 'owner');
    if (checked.kind === 'refused') return checked.response;
    return HttpResponse.json(permissionsSchema.parse({ grants: checked.conversation.grants }));
  }),

  http.put(pattern(sharingRoutes.permissions), async ({ request, params }) => {
    const checked = access(request, params, 'owner');
    if (checked.kind === 'refused') return checked.response;
    const json: unknown = await request.json();
    sharingBff.puts.push(json);
    const body = putPermissionsRequestSchema.safeParse(json);
    if (!body.success) return apiError(400, { error: 'invalid_request', message: 'grants: malformed' });
    if (!body.data.grants.some((grant) => grant.role === 'owner')) {
      return apiError(409, { error: 'last_owner', message: 'A conversation keeps at least one owner' });
    }
    // Names come from the BFF's own knowledge (the directory, the current grants), never the request.
    const known = [...checked.conversation.grants.map((grant) => grant.principal), ...sharingBff.directory];
    const grants: Grant[] = [];
    for (const { principal: ref, role } of body.data.grants) {
      const found = known.find((candidate) => samePrincipal(candidate, ref));
      if (!found) {
        return apiError(400, {
          error: 'unknown_principal',
          message: `entra ${ref.type} ${ref.id} is unknown`,
        });
      }
      const { type, source, id, name, email } = found;
      grants.push({ principal: { type, source, id, name, email }, role });
    }
    checked.conversation.grants = grants;
    return HttpResponse.json(permissionsSchema.parse({ grants }));
  }),
];
