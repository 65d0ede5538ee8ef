import { opaque } from '../util/ids';

/** What the user approved at the authorize endpoint, carried by a code and then by refresh tokens. */
export interface Grant {
  clientId: string;
  userId: string;
  /** The SSO session (`sid`) the grant was made in. */
  sessionId: string;
  /** The scope string of the authorize request, as sent. */
  scope: string;
  /** When the user signed in (ms): `auth_time`, and the instant revocation compares with. */
  authTime: number;
  /** Authentication contexts the sign-in satisfied (`acrs` of its access tokens). */
  acrs?: string[];
}

export interface AuthorizationCode extends Grant {
  code: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  /** Client capabilities the authorize request's `claims` named (`cp1`): the code's tokens carry them. */
  clientCapabilities?: string[];
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshToken extends Grant {
  token: string;
  /** Every token rotated from one code shares a family; revoke-on-reuse revokes the family. */
  family: string;
  issuedAt: number;
  used: boolean;
  /** Set by the control API: the token now fails as if inactive for too long. */
  forcedExpiry: boolean;
  /** Set when the user's refresh tokens were revoked (Entra's "revoke sessions"): the instant it happened. */
  revokedAt: number | undefined;
}

/** Codes live ten minutes, as Entra's do. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface GrantStore {
  issueCode(grant: Omit<AuthorizationCode, 'code' | 'expiresAt' | 'redeemed'>, now: number): string;
  code(code: string): AuthorizationCode | undefined;
  issueRefreshToken(grant: Grant, now: number, family?: string): RefreshToken;
  refreshToken(token: string): RefreshToken | undefined;
  revokeFamily(family: string): void;
  forEachRefreshToken(fn: (token: RefreshToken) => void): void;
  /** Per-user consent given on the consent page, per client and resource key. */
  userConsent(userId: string, clientId: string, resourceKey: string): ReadonlySet<string>;
  addUserConsent(userId: string, clientId: string, resourceKey: string, scopes: Iterable<string>): void;
}

export function createGrantStore(): GrantStore {
  const codes = new Map<string, AuthorizationCode>();
  const refreshTokens = new Map<string, RefreshToken>();
  const consents = new Map<string, Set<string>>();
  const consentKey = (u: string, c: string, r: string) =>
    `${u.toLowerCase()}|${c.toLowerCase()}|${r.toLowerCase()}`;

  return {
    issueCode(grant, now) {
      // Drop expired codes as new ones are made, so a long-running emulator does not grow without bound.
      for (const [key, value] of codes) if (value.expiresAt < now - CODE_LIFETIME_MS) codes.delete(key);
      // Entra's codes are long opaque strings beginning "1.A".
      const code = `1.A${opaque(96)}`;
      codes.set(code, { ...grant, code, expiresAt: now + CODE_LIFETIME_MS, redeemed: false });
      return code;
    },
    code: (code) => codes.get(code),
    issueRefreshToken(grant, now, family) {
      // Entra's refresh tokens are opaque too ("0.A..."); clients must never parse them.
      const token = `0.A${opaque(192)}`;
      const entry: RefreshToken = {
        clientId: grant.clientId,
        userId: grant.userId,
        sessionId: grant.sessionId,
        scope: grant.scope,
        authTime: grant.authTime,
        ...(grant.acrs?.length ? { acrs: grant.acrs } : {}),
        token,
        family: family ?? opaque(16),
        issuedAt: now,
        used: false,
        forcedExpiry: false,
        revokedAt: undefined,
      };
      refreshTokens.set(token, entry);
      return entry;
    },
    refreshToken: (token) => refreshTokens.get(token),
    revokeFamily(family) {
      for (const [key, value] of refreshTokens) if (value.family === family) refreshTokens.delete(key);
    },
    forEachRefreshToken(fn) {
      for (const value of refreshTokens.values()) fn(value);
    },
    userConsent: (u, c, r) => consents.get(consentKey(u, c, r)) ?? new Set(),
    addUserConsent(u, c, r, scopes) {
      const key = consentKey(u, c, r);
      const set = consents.get(key) ?? new Set();
      for (const s of scopes) set.add(s);
      consents.set(key, set);
    },
  };
}
