import type { Selectable } from 'kysely';

/** `local_groups`: Gatehouse's own groups, managed by users with the Gatehouse.Admin app role. */
export interface LocalGroupsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

/** `local_group_members`: local users only (an Entra user joins once they have signed in). */
export interface LocalGroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}

export type LocalGroupRow = Selectable<LocalGroupsTable>;
