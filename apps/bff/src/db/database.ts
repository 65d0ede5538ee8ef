import type {
  AttachmentJobFilesTable,
  AttachmentJobsTable,
  AttachmentsTable,
} from '../attachments/attachment.table';
import type { AuditLogTable } from '../audit/audit.table';
import type { ConversationsTable, MessagesTable } from '../conversations/conversation.table';
import type { LocalGroupMembersTable, LocalGroupsTable } from '../groups/local-group.table';
import type { EntraGroupMembersTable, EntraMembershipsTable } from '../membership/membership.table';
import type { EntraPrincipalsTable } from '../principals/entra-principal.table';
import type { SessionLocksTable, SessionRefreshBackoffsTable, SessionsTable } from '../session/session.table';
import type { GrantsTable } from '../sharing/grant.table';
import type { UsersTable } from '../users/user.table';

/** Every table, for `Kysely<Database>`. Each table's interface lives beside its domain. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  session_locks: SessionLocksTable;
  session_refresh_backoffs: SessionRefreshBackoffsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  grants: GrantsTable;
  audit_log: AuditLogTable;
  local_groups: LocalGroupsTable;
  local_group_members: LocalGroupMembersTable;
  entra_principals: EntraPrincipalsTable;
  entra_memberships: EntraMembershipsTable;
  entra_group_members: EntraGroupMembersTable;
  attachments: AttachmentsTable;
  attachment_jobs: AttachmentJobsTable;
  attachment_job_files: AttachmentJobFilesTable;
}
