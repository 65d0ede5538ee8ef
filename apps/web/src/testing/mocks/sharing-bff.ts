import type {
  Grant,
  GroupMembers,
  Message,
  PersonRef,
  Principal,
  PrincipalRef,
  SearchResult,
  ShareRole,
} from '@gatehouse/contracts';
import { shareRoleRank } from '@gatehouse/contracts';
import { bff } from './bff';

/** A conversation as the mocked BFF stores it: the grants decide who sees it and how. */
export type MockConversation = {
  id: string;
  title: string;
  owner: PersonRef;
  updatedAt: string;
  createdAt: string;
  messages: Message[];
  grants: Grant[];
};

/**
 * The mocked BFF's conversations, directory and sharing state, reset after every test. Tests seed it
 * (`sharingBff.conversations.push(...)`) and read what the SPA sent (`searchRequests`, `puts`).
 */
export type MockSharingBff = {
  conversations: MockConversation[];
  /** What people search can find (filtered by a case-insensitive substring of name or email). */
  directory: SearchResult[];
  /** Groups each user is in, by user id: grants to those groups reach the user. */
  memberOf: Record<string, string[]>;
  /** Members per group, `${source}:${id}`, served `groupPageSize` at a time. */
  groupMembers: Record<string, GroupMembers['members']>;
  groupPageSize: number;
  /** When set, search answers `partial: true` with these reasons. */
  partialReasons: string[] | null;
  /** How long the full search (local + directory) takes to answer (ms), to make requests overlap. */
  searchDelayMs: number;
  /** How long a `sources=local` search takes to answer (ms). */
  localSearchDelayMs: number;
  /** Every search the SPA sent (`sources`: `local`, `entra` or `all` when absent), and whether the SPA aborted it before the answer. */
  searchRequests: Array<{ q: string; sources: string; aborted: boolean }>;
  /** Every PUT body the SPA sent. */
  puts: unknown[];
  /** Photos by `${source}:${type}:${id}`; anyone else has none (404). */
  photos: Record<string, Blob>;
  nextId: number;
};

function initial(): MockSharingBff {
  return {
    conversations: [],
    directory: [],
    memberOf: {},
    groupMembers: {},
    groupPageSize: 2,
    partialReasons: null,
    searchDelayMs: 0,
    localSearchDelayMs: 0,
    searchRequests: [],
    puts: [],
    photos: {},
    nextId: 1,
  };
}

export const sharingBff: MockSharingBff = initial();

export function resetSharingBff() {
  Object.assign(sharingBff, initial());
}

/** The signed-in user as a local principal (what the BFF creates at sign-in). */
export function signedInPrincipal(): Principal | null {
  const user = bff.session?.user;
  if (!user) return null;
  return { type: 'user', source: 'local', id: user.id, name: user.name, email: user.email || null };
}

export function samePrincipal(a: PrincipalRef, b: PrincipalRef) {
  return a.type === b.type && a.source === b.source && a.id === b.id;
}

/** The highest role the user holds on the conversation, directly or through a group; null for none. */
export function roleOf(conversation: MockConversation, userId: string): ShareRole | null {
  const groups = new Set(sharingBff.memberOf[userId] ?? []);
  let best: ShareRole | null = null;
  for (const grant of conversation.grants) {
    const { principal } = grant;
    const reaches = principal.type === 'user' ? principal.id === userId : groups.has(principal.id);
    if (reaches && (!best || shareRoleRank[grant.role] > shareRoleRank[best])) best = grant.role;
  }
  return best;
}

/** Seeds a conversation owned by `owner` (a local user), with extra grants and messages. */
export function seedConversation(init: {
  title: string;
  owner: Principal;
  grants?: Grant[];
  messages?: Array<{ author: PersonRef; text: string }>;
  updatedAt?: string;
}): MockConversation {
  const id = `c-${sharingBff.nextId++}`;
  const updatedAt = init.updatedAt ?? '2026-11-20T10:00:00.000Z';
  const conversation: MockConversation = {
    id,
    title: init.title,
    owner: { id: init.owner.id, name: init.owner.name },
    createdAt: updatedAt,
    updatedAt,
    messages: (init.messages ?? []).map((message, index) => ({
      id: `${id}-m${index + 1}`,
      author: message.author,
      text: message.text,
      createdAt: updatedAt,
    })),
    grants: [{ principal: init.owner, role: 'owner' }, ...(init.grants ?? [])],
  };
  sharingBff.conversations.push(conversation);
  return conversation;
}
