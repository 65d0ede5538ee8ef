import type { ConversationFilter, PrincipalSource, PrincipalType } from '@gatehouse/contracts';

/**
 * Every server resource's cache key, in one place, so features can invalidate each other's data
 * (a share changes the lists and the conversation) without importing each other. Keys nest: the
 * prefix `['conversations']` covers every list, conversation and permission set.
 */
export const queryKeys = {
  config: () => ['config'] as const,
  accessDenied: () => ['auth', 'access-denied'] as const,
  conversations: () => ['conversations'] as const,
  conversationList: (filter: ConversationFilter) => ['conversations', 'list', filter] as const,
  conversation: (id: string) => ['conversations', 'detail', id] as const,
  permissions: (conversationId: string) => ['conversations', 'permissions', conversationId] as const,
  attachments: (conversationId: string) => ['conversations', 'attachments', conversationId] as const,
  /** `local`: the BFF's database only (fast); `all`: local and the directory, merged. */
  principalSearch: (scope: 'local' | 'all', query: string) => ['principals', 'search', scope, query] as const,
  principalPhoto: (principal: { source: PrincipalSource; type: PrincipalType; id: string }) =>
    ['principals', 'photo', principal.source, principal.type, principal.id] as const,
  groupMembers: (source: PrincipalSource, id: string) => ['groups', 'members', source, id] as const,
};
