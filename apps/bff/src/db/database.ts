import type { SessionLocksTable, SessionsTable } from '../session/session.table';
import type { UsersTable } from '../users/user.table';

/** Every table, for `Kysely<Database>`. Each table's interface lives beside its domain. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  session_locks: SessionLocksTable;
}
