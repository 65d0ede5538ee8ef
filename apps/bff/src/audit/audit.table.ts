import type { Selectable } from 'kysely';

/** `audit_log`: who (`actor_id`, a user id) did what (`action`, `details` JSON) to which subject, when (`at`). */
export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string;
  action: string;
  /** `conversation` or `local_group`. */
  subject_type: string;
  subject_id: string;
  /** JSON object. */
  details: string;
}

export type AuditRow = Selectable<AuditLogTable>;
