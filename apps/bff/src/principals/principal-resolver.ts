import type { Principal, PrincipalRef } from '@gatehouse/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database';
import { lookUpDirectoryObjects } from '../graph/directory';
import type { GraphClient } from '../graph/graph-client';
import { AppError } from '../http/errors';

type Db = Kysely<Database> | Transaction<Database>;

/** A principal key: `type:source:id`, Entra ids in lower case. */
export const principalKey = (ref: PrincipalRef) => `${ref.type}:${ref.source}:${ref.id}`;

/** Entra object ids are case-insensitive GUIDs: one spelling, so one grant per principal. */
export function normaliseRef(ref: PrincipalRef): PrincipalRef {
  return ref.source === 'entra' ? { ...ref, id: ref.id.toLowerCase() } : ref;
}

export interface ResolvePrincipalsInput {
  refs: readonly PrincipalRef[];
  /** A Graph token of the user who shares, asked for only when there are Entra principals. */
  graphToken: () => Promise<string>;
}

/**
 * What each principal is, from the BFF's own sources only: local users and groups from the
 * database, Entra users and groups from Microsoft Graph by object id (with the sharing user's
 * token, so Graph's own permissions apply). Whatever else the browser sent about a principal was
 * dropped by the request schema. Anything unknown → 400 `unknown_principal` naming it.
 */
export async function resolvePrincipals(
  db: Db,
  graph: GraphClient,
  input: ResolvePrincipalsInput,
): Promise<Map<string, Principal>> {
  const resolved = new Map<string, Principal>();
  const unknown: PrincipalRef[] = [];
  const localUsers = input.refs.filter((r) => r.source === 'local' && r.type === 'user').map((r) => r.id);
  const localGroups = input.refs.filter((r) => r.source === 'local' && r.type === 'group').map((r) => r.id);
  const entra = input.refs.filter((r) => r.source === 'entra');

  if (localUsers.length > 0) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('id', 'in', localUsers)
      .execute();
    for (const row of rows) {
      const principal: Principal = {
        type: 'user',
        source: 'local',
        id: row.id,
        name: row.name,
        email: row.email || null,
      };
      resolved.set(principalKey(principal), principal);
    }
  }
  if (localGroups.length > 0) {
    const rows = await db
      .selectFrom('local_groups')
      .select(['id', 'name'])
      .where('id', 'in', localGroups)
      .execute();
    for (const row of rows) {
      const principal: Principal = {
        type: 'group',
        source: 'local',
        id: row.id,
        name: row.name,
        email: null,
      };
      resolved.set(principalKey(principal), principal);
    }
  }
  if (entra.length > 0) {
    const entries = await lookUpDirectoryObjects(graph, await input.graphToken(), entra);
    entries.forEach((entry, index) => {
      if (!entry) return;
      const principal: Principal = {
        type: entra[index]!.type,
        source: 'entra',
        id: entry.id.toLowerCase(),
        name: entry.name,
        email: entry.email,
      };
      resolved.set(principalKey(principal), principal);
    });
  }
  for (const ref of input.refs) if (!resolved.has(principalKey(ref))) unknown.push(ref);
  if (unknown.length > 0) {
    const first = unknown[0]!;
    throw new AppError(
      'unknown_principal',
      first.source === 'entra'
        ? `Microsoft Graph does not know the ${first.type} ${first.id}.`
        : `There is no local ${first.type} ${first.id}.`,
    );
  }
  return resolved;
}

/** Stores what Graph said about Entra principals (names shown in grants later). */
export async function rememberEntraPrincipals(
  db: Db,
  principals: Iterable<Principal>,
  now: number,
): Promise<void> {
  for (const principal of principals) {
    if (principal.source !== 'entra') continue;
    const values = { name: principal.name, email: principal.email, resolved_at: now };
    await db
      .insertInto('entra_principals')
      .values({ type: principal.type, id: principal.id, ...values })
      .onConflict((oc) => oc.columns(['type', 'id']).doUpdateSet(values))
      .execute();
  }
}

/** Names and emails of stored grants' principals, from the database (no Graph call). */
export async function describePrincipals(
  db: Db,
  refs: readonly PrincipalRef[],
): Promise<Map<string, Principal>> {
  const described = new Map<string, Principal>();
  const ids = (source: string, type: string) =>
    refs.filter((r) => r.source === source && r.type === type).map((r) => r.id);
  const localUsers = ids('local', 'user');
  const localGroups = ids('local', 'group');
  const entra = refs.filter((r) => r.source === 'entra').map((r) => r.id);
  if (localUsers.length > 0) {
    for (const row of await db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('id', 'in', localUsers)
      .execute()) {
      described.set(`user:local:${row.id}`, {
        type: 'user',
        source: 'local',
        id: row.id,
        name: row.name,
        email: row.email || null,
      });
    }
  }
  if (localGroups.length > 0) {
    for (const row of await db
      .selectFrom('local_groups')
      .select(['id', 'name'])
      .where('id', 'in', localGroups)
      .execute()) {
      described.set(`group:local:${row.id}`, {
        type: 'group',
        source: 'local',
        id: row.id,
        name: row.name,
        email: null,
      });
    }
  }
  if (entra.length > 0) {
    for (const row of await db
      .selectFrom('entra_principals')
      .selectAll()
      .where('id', 'in', entra)
      .execute()) {
      described.set(`${row.type}:entra:${row.id}`, {
        type: row.type,
        source: 'entra',
        id: row.id,
        name: row.name,
        email: row.email,
      });
    }
  }
  for (const ref of refs) {
    // A principal whose record is gone (a deleted local user) still shows, by id.
    if (!described.has(principalKey(ref)))
      described.set(principalKey(ref), { ...ref, name: ref.id, email: null });
  }
  return described;
}
