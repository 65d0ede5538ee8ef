import { z } from 'zod';

/**
 * People search, conversations and sharing: the wire shapes of the BFF's `/api/principals`,
 * `/api/conversations` and `/api/groups` routes. The BFF parses requests with these schemas and the SPA
 * parses responses with them, so both sides change together.
 */

export const principalTypes = ['user', 'group'] as const;
export type PrincipalType = (typeof principalTypes)[number];

/** `local`: Gatehouse's own users (created at sign-in) and groups; `entra`: the directory, by object id. */
export const principalSources = ['local', 'entra'] as const;
export type PrincipalSource = (typeof principalSources)[number];

export const shareRoles = ['viewer', 'editor', 'owner'] as const;
export type ShareRole = (typeof shareRoles)[number];

/** What a role allows, in order: each role includes the ones before it. */
export const shareRoleRank: Record<ShareRole, number> = { viewer: 1, editor: 2, owner: 3 };

/** A principal as the BFF describes it (names and emails always come from the BFF, never the browser). */
export const principalSchema = z.object({
  type: z.enum(principalTypes),
  source: z.enum(principalSources),
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
});
export type Principal = z.infer<typeof principalSchema>;

/** A principal as the browser names it in a grant: type, source and id, nothing else is read. */
export const principalRefSchema = z.object({
  type: z.enum(principalTypes),
  source: z.enum(principalSources),
  id: z.string().min(1).max(200),
});
export type PrincipalRef = z.infer<typeof principalRefSchema>;

// ── GET /api/principals/search?q=&types=user,group&limit= ──────────────────────────────────────────

export const principalSearchLimits = { minQuery: 2, maxQuery: 100, defaultLimit: 20, maxLimit: 50 } as const;

export const searchResultSchema = principalSchema.extend({
  /** Groups: how many direct members, when known. */
  memberCount: z.number().int().nonnegative().optional(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  /** True when part of the directory could not be searched (Graph slow, throttled or down). */
  partial: z.boolean(),
  /** Why the results are partial, one short sentence each, safe to show. */
  reasons: z.array(z.string()).optional(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

// ── Conversations ──────────────────────────────────────────────────────────────────────────────────

export const conversationLimits = { maxTitle: 200, maxMessage: 10_000 } as const;

export const createConversationRequestSchema = z.object({
  title: z.string().trim().min(1).max(conversationLimits.maxTitle),
});

export const conversationCreatedSchema = z.object({
  id: z.string(),
  title: z.string(),
  role: z.literal('owner'),
  createdAt: z.string(),
});
export type ConversationCreated = z.infer<typeof conversationCreatedSchema>;

export const personRefSchema = z.object({ id: z.string(), name: z.string() });
export type PersonRef = z.infer<typeof personRefSchema>;

export const conversationFilters = ['mine', 'shared'] as const;
export type ConversationFilter = (typeof conversationFilters)[number];

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  /** The caller's effective role (the highest of their direct and group grants). */
  role: z.enum(shareRoles),
  owner: personRefSchema,
  updatedAt: z.string(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/**
 * `limit` of `GET /api/conversations`: 500 when left out, at most 500. The default is the maximum so
 * that a client that does not page still gets every conversation of anyone with fewer than 500; the
 * SPA asks for 50 at a time.
 */
export const conversationPageLimits = { default: 500, max: 500 } as const;

/**
 * One page of the list, newest first. `nextCursor` (opaque) asks for the page after it with
 * `?cursor=`; `null` on the last page.
 */
export const conversationListSchema = z.object({
  conversations: z.array(conversationSummarySchema),
  nextCursor: z.string().nullable(),
});
export type ConversationList = z.infer<typeof conversationListSchema>;

export const messageSchema = z.object({
  id: z.string(),
  author: personRefSchema,
  text: z.string(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

/**
 * `limit` of `GET /api/conversations/:id`: its latest 1,000 messages when left out, at most 1,000 (a
 * client that does not page gets every message of any smaller conversation); the SPA asks for 100.
 */
export const messagePageLimits = { default: 1000, max: 1000 } as const;

/**
 * A conversation with its latest messages (oldest first), or with those before `?before=`.
 * `earlierCursor` (opaque) asks for the messages before these with `?before=`; `null` when these
 * reach back to the first.
 */
export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  role: z.enum(shareRoles),
  messages: z.array(messageSchema),
  earlierCursor: z.string().nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const postMessageRequestSchema = z.object({
  text: z.string().trim().min(1).max(conversationLimits.maxMessage),
});

// ── Sharing: GET / PUT /api/conversations/:id/permissions ─────────────────────────────────────────

export const grantSchema = z.object({ principal: principalSchema, role: z.enum(shareRoles) });
export type Grant = z.infer<typeof grantSchema>;

export const permissionsSchema = z.object({ grants: z.array(grantSchema) });
export type Permissions = z.infer<typeof permissionsSchema>;

export const maxGrants = 100;

export const putPermissionsRequestSchema = z.object({
  grants: z.array(z.object({ principal: principalRefSchema, role: z.enum(shareRoles) })).max(maxGrants),
});
export type PutPermissionsRequest = z.infer<typeof putPermissionsRequestSchema>;

// ── GET /api/groups/:source/:id/members?cursor= ─────────────────────────────────────────────────────

export const groupMembersSchema = z.object({
  members: z.array(
    principalSchema.extend({
      /** `owner` only when ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS=true counts owners as members. */
      relation: z.enum(['member', 'owner']),
    }),
  ),
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor: z.string().optional(),
});
export type GroupMembers = z.infer<typeof groupMembersSchema>;

/** Route templates of this part of the API (the SPA fills them in with `encodeURIComponent`). */
export const sharingRoutes = {
  search: '/api/principals/search',
  /** `GET`: a principal's photo (Entra users; 404 when there is none). */
  principalPhoto: '/api/principals/:source/:type/:id/photo',
  conversations: '/api/conversations',
  conversation: '/api/conversations/:id',
  messages: '/api/conversations/:id/messages',
  permissions: '/api/conversations/:id/permissions',
  groupMembers: '/api/groups/:source/:id/members',
} as const;

// ── Local groups (managed by users with the Gatehouse.Admin app role) ───────────────────────────────

export const localGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberCount: z.number().int().nonnegative(),
});
export type LocalGroup = z.infer<typeof localGroupSchema>;

/** `GET /api/groups` (admins). */
export const localGroupListSchema = z.object({ groups: z.array(localGroupSchema) });

/** `POST /api/groups` (admins) → 201 `LocalGroup`. */
export const createLocalGroupRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).default(''),
});

/** `PUT /api/groups/local/:id/members` (admins): local users only; replaces the members, answers 204. */
export const putLocalGroupMembersRequestSchema = z.object({
  members: z.array(principalRefSchema).max(1000),
});

export const localGroupRoutes = {
  groups: '/api/groups',
  /** `DELETE` (admins): the group, its memberships and the grants to it. */
  localGroup: '/api/groups/local/:id',
  localGroupMembers: '/api/groups/local/:id/members',
} as const;

/**
 * `GET /api/principals/search` also takes `sources=local` or `sources=entra` (default both), so the
 * SPA can show local matches at once and the directory's when they come.
 */
export const principalSearchSources = ['local', 'entra'] as const;
export type PrincipalSearchSource = (typeof principalSearchSources)[number];
