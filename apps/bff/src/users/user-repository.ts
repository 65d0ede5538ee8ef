import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database';
import type { UserRow } from './user.table';

/** A Gatehouse user as the rest of the BFF sees it. */
export interface User {
  id: string;
  issuer: string;
  /** Entra tenant id; '' for providers without tenants. */
  tenantId: string;
  /** Entra `oid`, or the provider's `sub`. */
  subject: string;
  name: string;
  email: string;
  username: string;
  createdAt: number;
  updatedAt: number;
}

export interface UpsertUserInput {
  issuer: string;
  /** Entra `tid`: with it, `subject` must be the `oid` and the user is keyed by (tid, oid). */
  tenantId?: string | undefined;
  subject: string;
  name: string;
  email: string;
  username: string;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The namespace a subject is unique in: `entra:<tid>` for Entra (the same person whichever Entra
 * issuer form — v1 `sts.windows.net`, v2, another cloud's host — signed them in), `iss:<issuer>`
 * for any other provider.
 */
export function identityKey(input: Pick<UpsertUserInput, 'issuer' | 'tenantId'>): string {
  return input.tenantId ? `entra:${input.tenantId.toLowerCase()}` : `iss:${input.issuer}`;
}

/**
 * Creates the user on first sign-in, or updates the profile of the user with the same identity
 * (tid+oid, or iss+sub). Email never identifies anyone: two accounts with one address are two
 * users, and a changed address updates the same user.
 */
export async function upsertUser(db: Db, input: UpsertUserInput, now: number = Date.now()): Promise<User> {
  if (!input.subject) throw new TypeError('upsertUser: subject (oid or sub) is required.');
  if (!input.issuer) throw new TypeError('upsertUser: issuer is required.');
  const profile = {
    issuer: input.issuer,
    tenant_id: input.tenantId ?? '',
    name: input.name,
    email: input.email,
    username: input.username,
    updated_at: now,
  };
  const row = await db
    .insertInto('users')
    .values({
      id: randomUUID(),
      identity_key: identityKey(input),
      subject: input.subject,
      created_at: now,
      ...profile,
    })
    .onConflict((oc) => oc.columns(['identity_key', 'subject']).doUpdateSet(profile))
    .returningAll()
    .executeTakeFirstOrThrow();
  return userRowToUser(row);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && userRowToUser(row);
}

export function userRowToUser(row: UserRow): User {
  return {
    id: row.id,
    issuer: row.issuer,
    tenantId: row.tenant_id,
    subject: row.subject,
    name: row.name,
    email: row.email,
    username: row.username,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
