import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/errors';
import { createKeyedMutex } from './keyed-mutex';
import { createRefreshLock, type RefreshLockOptions } from './refresh-lock';
import type { SessionRow, SessionRowUpdate } from './session.table';
import type { ProviderTokens, ResourceToken, SessionRecord, SessionStore } from './session-store';
import type { TokenCipher } from './token-cipher';

export interface KyselySessionStoreDeps {
  database: DatabaseHandle;
  cipher: TokenCipher;
  /** Told about sessions dropped because no configured secret can decrypt them, and lock trouble. */
  log?: { warn(object: object, message: string): void };
}

export type KyselySessionStoreOptions = RefreshLockOptions;

// The AAD names the row and the column: a ciphertext moved to another session, or from
// `resource_tokens` to `tokens`, fails authentication.
const tokensAad = (id: string) => `${id}|tokens`;
const resourceTokensAad = (id: string) => `${id}|resource_tokens`;

/**
 * `SessionStore` on SQLite or PostgreSQL. Provider tokens are encrypted with `cipher` before they
 * reach the database. Reading a session does not decrypt anything: `tokens` and `resourceTokens`
 * are decrypted on first access (the signed-in hot path, `GET /api/auth/session`, never touches
 * them), and throw `TokenCipherError` if the stored value was altered. A session whose tokens were
 * written under a secret that is no longer configured is deleted on read and reported as absent.
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

  /**
   * `secrets` yields the two ciphertext columns: the row itself when they were read with it, or a
   * lazy read (SQLite's hot path leaves them out: a signed-in request that never touches tokens
   * then allocates no multi-kilobyte strings).
   */
  function toRecord(row: SessionSummaryRow, secrets: () => SessionSecretsRow): SessionRecord {
    let tokens: ProviderTokens | undefined;
    let resourceTokens: Record<string, ResourceToken> | undefined;
    const id = row.id;
    // Own, enumerable getters (an object literal's are cheap): spreading or serialising the record
    // decrypts, reading the times and roles does not.
    const record = {
      id,
      userId: row.user_id,
      issuer: row.issuer,
      roles: JSON.parse(row.roles) as string[],
      get tokens(): ProviderTokens {
        tokens ??= JSON.parse(cipher.decrypt(secrets().tokens, tokensAad(id))) as ProviderTokens;
        return tokens;
      },
      get resourceTokens(): Record<string, ResourceToken> {
        resourceTokens ??= JSON.parse(
          cipher.decrypt(secrets().resource_tokens, resourceTokensAad(id)),
        ) as Record<string, ResourceToken>;
        return resourceTokens;
      },
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      idleExpiresAt: Number(row.idle_expires_at),
      absoluteExpiresAt: Number(row.absolute_expires_at),
      version: Number(row.version),
    } satisfies Omit<SessionRecord, 'providerSid'>;
    return row.provider_sid === null ? record : Object.assign(record, { providerSid: row.provider_sid });
  }

  const read = createSessionReader(database);
  const fromFullRow = (row: SessionRow) => toRecord(row, () => row);

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

    async get(id) {
      const found = await read(id);
      if (!found) return undefined;
      if (!cipher.knowsKeyOf(found.tokensHead) || !cipher.knowsKeyOf(found.resourceTokensHead)) {
        warn('deleted a session whose tokens no configured OPENID_SESSION_SECRET can decrypt');
        await db.deleteFrom('sessions').where('id', '=', id).execute();
        return undefined;
      }
      return toRecord(found.row, found.secrets);
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
      const row = await db
        .updateTable('sessions')
        .set({ ...set, version: sql<number>`version + 1` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? fromFullRow(row) : undefined;
    },

    async delete(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },

    async deleteByProviderSid(issuer, sid) {
      const result = await db
        .deleteFrom('sessions')
        .where('issuer', '=', issuer)
        .where('provider_sid', '=', sid)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteByUser(userId) {
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteExpired(now) {
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
        .executeTakeFirst();
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
          return await fn();
        } finally {
          await release();
        }
      });
    },
  };
}

type SessionSecretsRow = Pick<SessionRow, 'tokens' | 'resource_tokens'>;
type SessionSummaryRow = Omit<SessionRow, 'tokens' | 'resource_tokens'>;

interface FoundSession {
  row: SessionSummaryRow;
  /** The first characters of each ciphertext: enough to see its key id. */
  tokensHead: string;
  resourceTokensHead: string;
  secrets: () => SessionSecretsRow;
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
 * and prepare each time), the ciphertexts left out and read synchronously on first use. That later
 * read returns the row as it is then: if a refresh in another request rewrote it meanwhile, the
 * caller gets the newer tokens (never older ones); if the session was deleted meanwhile, it throws
 * 401 `login_required`/`signed_out`.
 */
function createSessionReader(database: DatabaseHandle): (id: string) => Promise<FoundSession | undefined> {
  if (database.dialect === 'postgres') {
    return async (id) => {
      const row = await database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        row && { row, tokensHead: row.tokens, resourceTokensHead: row.resource_tokens, secrets: () => row }
      );
    };
  }
  const { sqlite } = database;
  let statements:
    | {
        summary: {
          get(
            id: string,
          ): (SessionSummaryRow & { tokens_head: string; resource_tokens_head: string }) | undefined;
        };
        secrets: { get(id: string): SessionSecretsRow | undefined };
      }
    | undefined;
  return async (id) => {
    // Prepared on first use: the table exists only once migrations ran.
    statements ??= {
      summary: sqlite.prepare(
        `select ${SUMMARY_COLUMNS.join(', ')}, substr(tokens, 1, 16) as tokens_head, ` +
          'substr(resource_tokens, 1, 16) as resource_tokens_head from sessions where id = ?',
      ),
      secrets: sqlite.prepare('select tokens, resource_tokens from sessions where id = ?'),
    };
    const { summary, secrets } = statements;
    const found = summary.get(id);
    if (!found) return undefined;
    const { tokens_head, resource_tokens_head, ...row } = found;
    let loaded: SessionSecretsRow | undefined;
    return {
      row,
      tokensHead: tokens_head,
      resourceTokensHead: resource_tokens_head,
      secrets: () => {
        loaded ??= secrets.get(id);
        if (!loaded) {
          throw new AppError('login_required', 'Your session ended. Sign in again.', {
            reason: 'signed_out',
          });
        }
        return loaded;
      },
    };
  };
}
