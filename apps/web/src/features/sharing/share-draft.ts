import type {
  Grant,
  Principal,
  PrincipalRef,
  PutPermissionsRequest,
  SearchResult,
  ShareRole,
} from '@gatehouse/contracts';

/**
 * The share dialog's unsaved state: the grants as the owner is editing them, the people and groups
 * picked to be added (the chips), and the role those will get. Saving sends all of it as one PUT.
 */
export type ShareDraft = {
  grants: Grant[];
  pending: SearchResult[];
  pendingRole: ShareRole;
};

export type ShareDraftAction =
  | { type: 'load'; grants: Grant[] }
  | { type: 'add'; principal: SearchResult }
  | { type: 'remove-pending'; principal: PrincipalRef }
  | { type: 'remove-last-pending' }
  | { type: 'set-pending-role'; role: ShareRole }
  | { type: 'set-role'; principal: PrincipalRef; role: ShareRole }
  | { type: 'remove'; principal: PrincipalRef };

export const emptyDraft: ShareDraft = { grants: [], pending: [], pendingRole: 'viewer' };

export function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return a.type === b.type && a.source === b.source && a.id === b.id;
}

export function principalKey(principal: PrincipalRef): string {
  return `${principal.source}:${principal.type}:${principal.id}`;
}

/** Whether the principal already has access, or is already picked to get it. */
export function isInDraft(draft: ShareDraft, principal: PrincipalRef): 'granted' | 'pending' | null {
  if (draft.grants.some((grant) => samePrincipal(grant.principal, principal))) return 'granted';
  if (draft.pending.some((picked) => samePrincipal(picked, principal))) return 'pending';
  return null;
}

export function shareDraftReducer(draft: ShareDraft, action: ShareDraftAction): ShareDraft {
  switch (action.type) {
    case 'load':
      return { ...emptyDraft, pendingRole: draft.pendingRole, grants: action.grants };
    case 'add':
      if (isInDraft(draft, action.principal)) return draft;
      return { ...draft, pending: [...draft.pending, action.principal] };
    case 'remove-pending':
      return {
        ...draft,
        pending: draft.pending.filter((picked) => !samePrincipal(picked, action.principal)),
      };
    case 'remove-last-pending':
      return draft.pending.length === 0 ? draft : { ...draft, pending: draft.pending.slice(0, -1) };
    case 'set-pending-role':
      return { ...draft, pendingRole: action.role };
    case 'set-role':
      return {
        ...draft,
        grants: draft.grants.map((grant) =>
          samePrincipal(grant.principal, action.principal) ? { ...grant, role: action.role } : grant,
        ),
      };
    case 'remove':
      return {
        ...draft,
        grants: draft.grants.filter((grant) => !samePrincipal(grant.principal, action.principal)),
      };
  }
}

/** The PUT body: type, source and id only (the BFF names principals itself), the picked ones last. */
export function toPutRequest(draft: ShareDraft): PutPermissionsRequest {
  const ref = ({ type, source, id }: Principal) => ({ type, source, id });
  return {
    grants: [
      ...draft.grants.map((grant) => ({ principal: ref(grant.principal), role: grant.role })),
      ...draft.pending.map((picked) => ({ principal: ref(picked), role: draft.pendingRole })),
    ],
  };
}

/** Whether saving would change anything compared with `saved`. */
export function hasChanges(draft: ShareDraft, saved: Grant[]): boolean {
  if (draft.pending.length > 0 || draft.grants.length !== saved.length) return true;
  return draft.grants.some((grant) => {
    const before = saved.find((candidate) => samePrincipal(candidate.principal, grant.principal));
    return !before || before.role !== grant.role;
  });
}
