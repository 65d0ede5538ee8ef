import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect';
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

  function toRecord(row: SessionRow): SessionRecord {
    let tokens: ProviderTokens | undefined;
    let resourceTokens: Record<string, ResourceToken> | undefined;
    const record = {
      id: row.id,
      userId: row.user_id,
      issuer: row.issuer,
      ...(row.provider_sid === null ? {} : { providerSid: row.provider_sid }),
      roles: JSON.parse(row.roles) as string[],
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      idleExpiresAt: Number(row.idle_expires_at),
      absoluteExpiresAt: Number(row.absolute_expires_at),
      version: Number(row.version),
    } as SessionRecord;
    Object.defineProperties(record, {
      tokens: {
        enumerable: true,
        get: () => {
          tokens ??= JSON.parse(cipher.decrypt(row.tokens, tokensAad(row.id))) as ProviderTokens;
          return tokens;
        },
      },
      resourceTokens: {
        enumerable: true,
        get: () => {
          resourceTokens ??= JSON.parse(
            cipher.decrypt(row.resource_tokens, resourceTokensAad(row.id)),
          ) as Record<string, ResourceToken>;
          return resourceTokens;
        },
      },
    });
    return record;
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

    async get(id) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      if (!cipher.knowsKeyOf(row.tokens) || !cipher.knowsKeyOf(row.resource_tokens)) {
        warn('deleted a session whose tokens no configured OPENID_SESSION_SECRET can decrypt');
        await db.deleteFrom('sessions').where('id', '=', id).execute();
        return undefined;
      }
      return toRecord(row);
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
      return row ? toRecord(row) : undefined;
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
