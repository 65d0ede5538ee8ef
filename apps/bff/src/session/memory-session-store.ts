import { createKeyedMutex } from './keyed-mutex';
import { issuerMatches, type RefreshBackoff, type SessionRecord, type SessionStore } from './session-store';

/**
 * `SessionStore` in a Map, for unit tests and the token manager's tests: same contract as the
 * Kysely store (the shared contract tests run on both), records copied in and out so callers cannot
 * mutate stored state, and `withRefreshLock` serialises per session within the process.
 */
export function createMemorySessionStore(): SessionStore & { readonly size: number } {
  const sessions = new Map<string, SessionRecord>();
  const backoffs = new Map<string, RefreshBackoff>();
  const mutex = createKeyedMutex();
  const deleteWhere = (predicate: (s: SessionRecord) => boolean) => {
    let count = 0;
    for (const [id, session] of sessions) {
      if (predicate(session)) {
        sessions.delete(id);
        backoffs.delete(id);
        count++;
      }
    }
    return count;
  };

  return {
    get size() {
      return sessions.size;
    },
    async create(session) {
      if (sessions.has(session.id)) throw new Error(`session ${session.id} already exists`);
      const record: SessionRecord = structuredClone({
        ...session,
        resourceTokens: session.resourceTokens ?? {},
        version: 1,
      });
      sessions.set(record.id, record);
      return structuredClone(record);
    },
    async get(id) {
      const record = sessions.get(id);
      return record && structuredClone(record);
    },
    async update(id, patch) {
      const record = sessions.get(id);
      if (!record) return undefined;
      const updated: SessionRecord = { ...record, ...structuredClone(patch), version: record.version + 1 };
      sessions.set(id, updated);
      return structuredClone(updated);
    },
    async delete(id) {
      sessions.delete(id);
      backoffs.delete(id);
    },
    async deleteByProviderSid(issuer, sid) {
      return deleteWhere((s) => s.providerSid === sid && issuerMatches(issuer, s.issuer));
    },
    async deleteByUser(userId) {
      return deleteWhere((s) => s.userId === userId);
    },
    async deleteExpired(now) {
      return deleteWhere((s) => s.idleExpiresAt <= now || s.absoluteExpiresAt <= now);
    },
    withRefreshLock(id, fn) {
      return mutex.run(id, fn);
    },
    async refreshBackoff(id) {
      const backoff = backoffs.get(id);
      return backoff && { ...backoff };
    },
    async setRefreshBackoff(id, backoff) {
      if (!backoff) backoffs.delete(id);
      else if (sessions.has(id)) backoffs.set(id, { ...backoff });
    },
  };
}
