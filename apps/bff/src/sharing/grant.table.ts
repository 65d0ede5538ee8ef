import type { Selectable } from 'kysely';

/**
 * `grants`: principal × conversation × role. A principal is `(type, source, id)`: a local user
 * (`users.id`), a local group (`local_groups.id`), or an Entra user or group (its object id).
 */
export interface GrantsTable {
  conversation_id: string;
  principal_type: 'user' | 'group';
  principal_source: 'local' | 'entra';
  principal_id: string;
  role: 'viewer' | 'editor' | 'owner';
  /** The user who made the change that wrote this grant. */
  granted_by: string;
  granted_at: number;
}

export type GrantRow = Selectable<GrantsTable>;
