import type { Migration } from 'kysely';
import * as createUsers from './2026_11_27_0710_create_users';
import * as createSessions from './2026_11_27_0711_create_sessions';
import * as createSessionLocks from './2026_11_27_0712_create_session_locks';
import * as createSharing from './2026_12_01_0900_create_sharing';
import * as createAttachments from './2026_12_08_0900_create_attachments';
import * as createSessionRefreshBackoffs from './2026_12_09_0900_create_session_refresh_backoffs';

/**
 * Every migration, in code (the BFF is bundled, so no folder is read at run time). Kysely applies
 * them in name order; add new ones at the end with a later timestamp and never edit an old one.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_27_0710_create_users': createUsers,
  '2026_11_27_0711_create_sessions': createSessions,
  '2026_11_27_0712_create_session_locks': createSessionLocks,
  '2026_12_01_0900_create_sharing': createSharing,
  '2026_12_08_0900_create_attachments': createAttachments,
  '2026_12_09_0900_create_session_refresh_backoffs': createSessionRefreshBackoffs,
};
