import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * `users`: one row per person per identity namespace. `identity_key` is `entra:<tid>` for Entra
 * (so a user keeps one account whichever Entra issuer form signed them in) and `iss:<issuer>` for
 * any other provider; `subject` is the Entra `oid` or the provider's `sub`. Unique together. Email is
 * profile data only: it never identifies a user.
 */
export interface UsersTable {
  id: string;
  identity_key: string;
  subject: string;
  /** The issuer of the latest sign-in. */
  issuer: string;
  /** Entra tenant id (`tid`); '' for providers without tenants. */
  tenant_id: string;
  name: string;
  email: string;
  username: string;
  /** Epoch ms. */
  created_at: number;
  updated_at: number;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowUpdate = Updateable<UsersTable>;
