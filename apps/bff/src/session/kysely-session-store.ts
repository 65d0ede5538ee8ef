import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/errors';
import { isThenable } from '../is-thenable';
import { createKeyedMutex } from './keyed-mutex';
import { createRefreshLock, type RefreshLockOptions } from './refresh-lock';
import type { SessionRow, SessionRowUpdate } from './session.table';
import { createSessionReadCache, type SessionReadCacheOptions } from './session-read-cache';
import {
  issuerMatches,
  type ProviderTokens,
  type ResourceToken,
  type SessionRecord,
  type SessionStore,
} from './session-store';
import type { TokenCipher } from './token-cipher';

export interface KyselySessionStoreDeps {
  database: DatabaseHandle;
  cipher: TokenCipher;
  /** Told about sessions dropped because no configured secret can decrypt them, and lock trouble. */
  log?: { warn(object: object, message: string): void };
}

export interface KyselySessionStoreOptions extends RefreshLockOptions {
  /**
   * The in-process read cache (`createSessionReadCache`, default on with a 1 s TTL), or false to
   * read the database on every `get`.
   */
  cache?: SessionReadCacheOptions | false;
}

// The AAD names the row and the column: a ciphertext moved to another session, or from
// `resource_tokens` to `tokens`, fails authentication.
const tokensAad = (id: string) => `${id}|tokens`;
const resourceTokensAad = (id: string) => `${id}|resource_tokens`;

/**
 * `SessionStore` on SQLite or PostgreSQL. Provider tokens are encrypted with `cipher` before they
 * reach the database. Reading a session decrypts nothing: `tokens` and `resourceTokens` are
 * decrypted on first access (the signed-in hot path, `GET /api/auth/session`, never touches them).
 * That access throws:
 * - `AppError` 401 `login_required`/`revoked` when the tokens were written under a secret that is
 *   no longer configured (OPENID_SESSION_SECRET changed without listing the old one in
 *   OPENID_SESSION_SECRET_PREVIOUS); the session is deleted;
 * - `AppError` 401 `login_required`/`signed_out` when (SQLite) the session was deleted between the
 *   read and the first token access;
 * - `TokenCipherError` (`tampered`) when the stored value was altered: a 500, and logged.
 *
 * `get` goes through an in-process read cache (`createSessionReadCache`) unless `options.cache` is
 * false: writes through this store invalidate it at once, reads under `withRefreshLock` skip it,
 * and a session changed or deleted by another instance may be served for up to its TTL (1 s by
 * default; docs/security.md, Sessions).
 */
export function createKyselySessionStore(
  deps: KyselySessionStoreDeps,
  options: KyselySessionStoreOptions = {},
): SessionStore {
  const { database, cipher } = deps;
  const { db } = database;
  const warn = (message: string, error?: unknown) => deps.log?.warn({ err: error }, message);
  const mutex = createKeyedMutex();
  const lock = createRefreshLock(database, { onWarning: warn, ...options });

  // A record's `tokens` and `resourceTokens` are own, enumerable getters: spreading or serialising
  // the record decrypts, reading the times and roles does not. They are defined from one shared
  // pair of descriptors and read their state from a non-enumerable slot: an object literal with
  // getters costs V8 about 1.3 µs per record, and a record is built on every signed-in request.
  const lazyTokens: PropertyDescriptorMap = {
    tokens: {
      enumerable: true,
      configurable: true,
      get(this: LazyRecord): ProviderTokens {
        const lazy = this[LAZY];
        lazy.tokens ??= JSON.parse(
          cipher.decrypt(lazy.secrets().tokens, tokensAad(lazy.id)),
        ) as ProviderTokens;
        return lazy.tokens;
      },
    },
    resourceTokens: {
      enumerable: true,
      configurable: true,
      get(this: LazyRecord): Record<string, ResourceToken> {
        const lazy = this[LAZY];
        lazy.resourceTokens ??= JSON.parse(
          cipher.decrypt(lazy.secrets().resource_tokens, resourceTokensAad(lazy.id)),
        ) as Record<string, ResourceToken>;
        return lazy.resourceTokens;
      },
    },
  };

  /**
   * `secrets` yields the two ciphertext columns: the row itself when they were read with it, or a
   * lazy read (SQLite's hot path leaves them out: a signed-in request that never touches tokens
   * then allocates no multi-kilobyte strings).
   */
  function toRecord(row: SessionSummaryRow, secrets: () => SessionSecretsRow): SessionRecord {
    const record: Omit<SessionRecord, 'tokens' | 'resourceTokens'> = {
      id: row.id,
      userId: row.user_id,
      issuer: row.issuer,
      roles: JSON.parse(row.roles) as string[],
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      idleExpiresAt: Number(row.idle_expires_at),
      absoluteExpiresAt: Number(row.absolute_expires_at),
      version: Number(row.version),
    };
    if (row.provider_sid !== null) record.providerSid = row.provider_sid;
    const lazy: LazyTokens = { id: row.id, secrets };
    Object.defineProperty(record, LAZY, { value: lazy });
    return Object.defineProperties(record, lazyTokens) as SessionRecord;
  }

  /** Checks the key ids once, before the first decryption; drops a session no secret can read. */
  const checked = (load: () => SessionSecretsRow | undefined, drop: () => void) => {
    let secrets: SessionSecretsRow | undefined;
    return (): SessionSecretsRow => {
      if (secrets) return secrets;
      const row = load();
      if (!row) {
        throw new AppError('login_required', 'Your session ended. Sign in again.', { reason: 'signed_out' });
      }
      if (!cipher.knowsKeyOf(row.tokens) || !cipher.knowsKeyOf(row.resource_tokens)) {
        warn('deleted a session whose tokens no configured OPENID_SESSION_SECRET can decrypt');
        drop();
        throw new AppError('login_required', 'Your session can no longer be used. Sign in again.', {
          reason: 'revoked',
        });
      }
      secrets = row;
      return row;
    };
  };
  const cache = options.cache === false ? undefined : createSessionReadCache<FoundSession>(options.cache);
  let deleteSqlite: { run(id: string): unknown } | undefined;
  const drop = (id: string) => () => {
    cache?.invalidate(id);
    if (database.dialect === 'sqlite') {
      deleteSqlite ??= database.sqlite.prepare('delete from sessions where id = ?');
      deleteSqlite.run(id);
    } else {
      db.deleteFrom('sessions')
        .where('id', '=', id)
        .execute()
        .catch((error: unknown) => warn('could not delete an unreadable session', error));
    }
  };
  const reader = createSessionReader(database);
  const read = cache ? (id: string) => cache.read(id, () => reader(id)) : reader;
  const writing = <R>(id: string, write: () => Promise<R>) => (cache ? cache.writing(id, write) : write());
  const writingWhere = <R>(affects: (row: SessionSummaryRow) => boolean, write: () => Promise<R>) =>
    cache ? cache.writingWhere((found) => affects(found.row), write) : write();
  const recordOf = (id: string, found: FoundSession | undefined) =>
    found && toRecord(found.row, checked(found.secrets, drop(id)));
  const fromFullRow = (row: SessionRow) =>
    toRecord(
      row,
      checked(() => row, drop(row.id)),
    );

  async function deleteByIssuerAndSid(issuer: string, sid: string): Promise<number> {
    const result = await writingWhere(
      (row) => row.issuer === issuer && row.provider_sid === sid,
      () =>
        db
          .deleteFrom('sessions')
          .where('issuer', '=', issuer)
          .where('provider_sid', '=', sid)
          .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  return {
    async create(session) {
      const resourceTokens = session.resourceTokens ?? {};
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          issuer: session.issuer,
          provider_sid: session.providerSid ?? null,
          roles: JSON.stringify(session.roles),
          tokens: cipher.encrypt(JSON.stringify(session.tokens), tokensAad(session.id)),
          resource_tokens: cipher.encrypt(JSON.stringify(resourceTokens), resourceTokensAad(session.id)),
          created_at: session.createdAt,
          last_seen_at: session.lastSeenAt,
          idle_expires_at: session.idleExpiresAt,
          absolute_expires_at: session.absoluteExpiresAt,
          version: 1,
        })
        .execute();
      return structuredClone({ ...session, resourceTokens, version: 1 });
    },

    get(id) {
      const found = read(id);
      // A cache hit comes back without a promise, and so does its record (see SessionStore.get).
      return isThenable(found)
        ? Promise.resolve(found).then((value) => recordOf(id, value))
        : recordOf(id, found);
    },

    async update(id, patch) {
      const set: SessionRowUpdate = {};
      if (patch.roles !== undefined) set.roles = JSON.stringify(patch.roles);
      if (patch.tokens !== undefined)
        set.tokens = cipher.encrypt(JSON.stringify(patch.tokens), tokensAad(id));
      if (patch.resourceTokens !== undefined) {
        set.resource_tokens = cipher.encrypt(JSON.stringify(patch.resourceTokens), resourceTokensAad(id));
      }
      if (patch.lastSeenAt !== undefined) set.last_seen_at = patch.lastSeenAt;
      if (patch.idleExpiresAt !== undefined) set.idle_expires_at = patch.idleExpiresAt;
      if (patch.providerSid !== undefined) set.provider_sid = patch.providerSid;
      const row = await writing(id, () =>
        db
          .updateTable('sessions')
          .set({ ...set, version: sql<number>`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      );
      return row ? fromFullRow(row) : undefined;
    },

    async delete(id) {
      await writing(id, () => db.deleteFrom('sessions').where('id', '=', id).execute());
    },

    async deleteByProviderSid(issuer, sid) {
      if (typeof issuer === 'string') return deleteByIssuerAndSid(issuer, sid);
      // A pattern (one issuer per tenant): the sid narrows it to a session or two, matched here.
      const rows = await db
        .selectFrom('sessions')
        .select(['issuer'])
        .where('provider_sid', '=', sid)
        .execute();
      let ended = 0;
      for (const stored of new Set(rows.map((row) => row.issuer))) {
        if (issuerMatches(issuer, stored)) ended += await deleteByIssuerAndSid(stored, sid);
      }
      return ended;
    },

    async deleteByUser(userId) {
      const result = await writingWhere(
        (row) => row.user_id === userId,
        () => db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async deleteExpired(now) {
      const result = await writingWhere(
        (row) => Number(row.idle_expires_at) <= now || Number(row.absolute_expires_at) <= now,
        () =>
          db
            .deleteFrom('sessions')
            .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
            .executeTakeFirst(),
      );
      if (database.dialect === 'sqlite') {
        // Leases of crashed holders (they are real-time, hence Date.now, not the app clock).
        await db
          .deleteFrom('session_locks')
          .where('expires_at', '<=', (options.now ?? Date.now)())
          .execute();
      }
      return Number(result.numDeletedRows);
    },

    withRefreshLock(id, fn) {
      return mutex.run(id, async () => {
        const release = await lock.acquire(id);
        try {
          // The holder re-reads the session to see another instance's refresh: not from the cache.
          return await (cache ? cache.bypassing(id, fn) : fn());
        } finally {
          await release();
        }
      });
    },

    async refreshBackoff(id) {
      const row = await db
        .selectFrom('session_refresh_backoffs')
        .select(['failures', 'retry_at'])
        .where('session_id', '=', id)
        .executeTakeFirst();
      return row && { failures: Number(row.failures), retryAt: Number(row.retry_at) };
    },

    async setRefreshBackoff(id, backoff) {
      if (!backoff) {
        await db.deleteFrom('session_refresh_backoffs').where('session_id', '=', id).execute();
        return;
      }
      const values = { failures: backoff.failures, retry_at: backoff.retryAt };
      // INSERT … SELECT from sessions: a session deleted meanwhile gets no row (and no foreign-key error).
      await db
        .insertInto('session_refresh_backoffs')
        .columns(['session_id', 'failures', 'retry_at'])
        .expression((eb) =>
          eb
            .selectFrom('sessions')
            .select((s) => [
              s.ref('id').as('session_id'),
              s.cast<number>(s.val(values.failures), 'integer').as('failures'),
              s.cast<number>(s.val(values.retry_at), 'bigint').as('retry_at'),
            ])
            .where('id', '=', id),
        )
        .onConflict((oc) => oc.column('session_id').doUpdateSet(values))
        .execute();
    },
  };
}

type SessionSecretsRow = Pick<SessionRow, 'tokens' | 'resource_tokens'>;
type SessionSummaryRow = Omit<SessionRow, 'tokens' | 'resource_tokens'>;

/** Where a record keeps its secrets loader and the tokens once decrypted (see `lazyTokens`). */
const LAZY = Symbol('lazy tokens');
interface LazyTokens {
  id: string;
  secrets: () => SessionSecretsRow;
  tokens?: ProviderTokens;
  resourceTokens?: Record<string, ResourceToken>;
}
type LazyRecord = SessionRecord & { [LAZY]: LazyTokens };

interface FoundSession {
  row: SessionSummaryRow;
  /** The ciphertext columns: already in hand (PostgreSQL) or read on demand (SQLite). */
  secrets: () => SessionSecretsRow | undefined;
}

const SUMMARY_COLUMNS = [
  'id',
  'user_id',
  'issuer',
  'provider_sid',
  'roles',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'version',
] as const;

/**
 * The read behind `get`. PostgreSQL: one query for the whole row (the round trip dominates, the
 * bytes do not). SQLite: cached prepared statements on the raw connection (Kysely would compile
 * and prepare each time), the ciphertexts left out (their multi-kilobyte values spill into
 * overflow pages) and read synchronously on first use. That later read returns the row as it is
 * then: if a refresh in another request rewrote it meanwhile, the caller gets the newer tokens,
 * never older ones.
 */
function createSessionReader(database: DatabaseHandle): (id: string) => Promise<FoundSession | undefined> {
  if (database.dialect === 'postgres') {
    return async (id) => {
      const row = await database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { row, secrets: () => row };
    };
  }
  const { sqlite } = database;
  let statements:
    | {
        summary: { get(id: string): SessionSummaryRow | undefined };
        secrets: { get(id: string): SessionSecretsRow | undefined };
      }
    | undefined;
  return async (id) => {
    // Prepared on first use: the table exists only once migrations ran.
    statements ??= {
      summary: sqlite.prepare(`select ${SUMMARY_COLUMNS.join(', ')} from sessions where id = ?`),
      secrets: sqlite.prepare('select tokens, resource_tokens from sessions where id = ?'),
    };
    const { summary, secrets } = statements;
    const row = summary.get(id);
    return row && { row, secrets: () => secrets.get(id) };
  };
}
