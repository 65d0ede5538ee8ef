/**
 * A user's Entra groups as last resolved through Graph (at sign-in and at every refresh):
 * `entra_memberships` says when (one row per user whose membership was ever resolved),
 * `entra_group_members` lists the group object ids. Both are replaced in one transaction.
 */
export interface EntraMembershipsTable {
  user_id: string;
  resolved_at: number;
  group_count: number;
}

export interface EntraGroupMembersTable {
  user_id: string;
  group_id: string;
}
