import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * `sessions`: the server side of the `__Host-gatehouse` cookie. `tokens` and `resource_tokens` hold
 * `TokenCipher` ciphertexts (JSON inside, AAD `<id>|<column>`), never plaintext.
 */
export interface SessionsTable {
  id: string;
  user_id: string;
  issuer: string;
  provider_sid: string | null;
  /** JSON array of strings. */
  roles: string;
  tokens: string;
  resource_tokens: string;
  /** Epoch ms. */
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  version: number;
}

/**
 * `session_locks`: SQLite's cross-process refresh lock, a lease per session (PostgreSQL uses advisory
 * locks instead, so there the table stays empty).
 */
export interface SessionLocksTable {
  session_id: string;
  /** Random id of the holder, so only the holder can renew or release. */
  owner: string;
  /** Epoch ms after which another process may take the lease over (a crashed holder). */
  expires_at: number;
}

/**
 * `session_refresh_backoffs`: sessions whose last token refresh failed (provider down, throttling),
 * so every BFF instance waits out the same back-off instead of asking the provider again.
 */
export interface SessionRefreshBackoffsTable {
  session_id: string;
  /** Consecutive failed refreshes. */
  failures: number;
  /** Epoch ms before which nobody refreshes this session's tokens. */
  retry_at: number;
}

export type SessionRow = Selectable<SessionsTable>;
export type NewSessionRow = Insertable<SessionsTable>;
export type SessionRowUpdate = Updateable<SessionsTable>;
