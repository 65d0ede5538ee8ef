/**
 * The server-side session: the only place a user's provider tokens live. The browser holds an
 * opaque random id in a `__Host-` cookie and nothing else.
 *
 * Implementations: `createKyselySessionStore(database, cipher)` (SQLite / PostgreSQL; tokens
 * encrypted at rest) and `createMemorySessionStore()` for unit tests.
 */
export interface ProviderTokens {
  idToken: string;
  /** Access token for the app's own login request (may be opaque or meant for Graph). */
  accessToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
  /**
   * Epoch ms when the provider issued the access token: with the expiry it gives the lifetime, and the
   * refresh is due when a fraction of it is left. Absent on tokens an older build stored.
   */
  accessTokenIssuedAt?: number;
  /** Absent when OPENID_REUSE_TOKENS is off: then the BFF keeps only its own session. */
  refreshToken?: string;
  /** A refresh's Conditional Access claims challenge (JSON) for the next sign-in to answer. */
  claimsChallenge?: string;
}

/** A token for another resource (Graph, the SharePoint site) minted from the refresh token. */
export interface ResourceToken {
  accessToken: string;
  /** Epoch ms, the real expiry reported by the provider. */
  expiresAt: number;
  /** Epoch ms when it was issued (absent on tokens an older build stored). */
  issuedAt?: number;
  scope: string;
}

export interface SessionRecord {
  /** Opaque random id (256 bits, base64url) — what the cookie carries. */
  id: string;
  userId: string;
  /** Provider issuer and its session id (`sid` claim), for front-channel logout. */
  issuer: string;
  providerSid?: string;
  /** Roles that satisfied the policy at the last check (shown to the SPA). */
  roles: string[];
  tokens: ProviderTokens;
  /** Keyed by resource (audience), e.g. `https://graph.microsoft.com`. */
  resourceTokens: Record<string, ResourceToken>;
  /** Epoch ms. */
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  /** Bumped on each write so a reader can tell that another process refreshed meanwhile. */
  version: number;
}

/** A session whose last token refresh failed: nobody asks the provider again before `retryAt`. */
export interface RefreshBackoff {
  /** Consecutive failed refreshes (the back-off grows with them). */
  failures: number;
  /** Epoch ms. */
  retryAt: number;
}

export type NewSession = Omit<SessionRecord, 'version' | 'resourceTokens'> &
  Partial<Pick<SessionRecord, 'resourceTokens'>>;

export type SessionPatch = Partial<
  Pick<SessionRecord, 'roles' | 'tokens' | 'resourceTokens' | 'lastSeenAt' | 'idleExpiresAt' | 'providerSid'>
>;

/** Matches the issuers of one provider's tenants (a `RegExp` is one). */
export interface IssuerPattern {
  test(issuer: string): boolean;
}

/** Whether a session's issuer is `issuer`, or one that `issuer` (a pattern) matches. */
export function issuerMatches(issuer: string | IssuerPattern, stored: string): boolean {
  return typeof issuer === 'string' ? stored === issuer : issuer.test(stored);
}

export interface SessionStore {
  create(session: NewSession): Promise<SessionRecord>;
  /**
   * The stored session, expired or not (the caller decides and says why). A read the store can answer
   * from memory (the read cache's hit) may come without a promise: the signed-in hot path then runs
   * without one (docs/performance.md). `await` takes either.
   */
  get(id: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  /** Writes `patch`, bumps `version`; returns the new record, or undefined if it is gone. */
  update(id: string, patch: SessionPatch): Promise<SessionRecord | undefined>;
  delete(id: string): Promise<void>;
  /**
   * Front-channel logout: every session with this provider `sid` whose issuer is `issuer`, or matches
   * it when a pattern (a multi-tenant issuer: one issuer per tenant). Returns how many.
   */
  deleteByProviderSid(issuer: string | IssuerPattern, sid: string): Promise<number>;
  deleteByUser(userId: string): Promise<number>;
  /** Removes sessions past their idle or absolute expiry. Returns how many. */
  deleteExpired(now: number): Promise<number>;
  /**
   * Runs `fn` while holding an exclusive lock on this session's refresh, across processes
   * (PostgreSQL advisory lock; SQLite: a lock row in the same database file). Callers re-read
   * the session inside `fn` before refreshing, so a second caller sees the first one's result.
   */
  withRefreshLock<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /**
   * The session's refresh back-off, shared by every BFF instance (read under the refresh lock, so
   * never from a read cache); undefined when its last refresh did not fail.
   */
  refreshBackoff(id: string): Promise<RefreshBackoff | undefined>;
  /** Records the back-off after a failed refresh, or clears it (`undefined`); a gone session is ignored. */
  setRefreshBackoff(id: string, backoff: RefreshBackoff | undefined): Promise<void>;
}
