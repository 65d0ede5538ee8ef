import { createHash } from 'node:crypto';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';
import type { SessionRecord, SessionStore } from '../session/session-store';
import type { TokenManager } from '../session/token-manager';
import { isClaimsJson } from './claims-parameter';

/**
 * Conditional Access claims challenges waiting for the user's next sign-in, kept in the session's
 * encrypted tokens (`tokens.claimsChallenge`) so that every instance sees them. A refresh's challenge
 * is written by refresh-failure.ts; a Graph challenge here: the Graph client knows only the token it
 * sent, so the token manager says which session each token it hands out belongs to
 * (`trackServedTokens`). Should that session be unknown, the challenge stays in this instance's
 * memory, keyed by a hash of the refused token (a token only that session holds). The browser never
 * sends a claims value: the BFF only replays what a provider gave it.
 */
export interface ClaimsChallenges {
  /** The token manager handed `accessToken` to a route for this session. */
  tokenServed(accessToken: string, sessionId: string): void;
  /** Graph refused `accessToken` with `claims` (the decoded JSON of `WWW-Authenticate: … claims=`). */
  rememberRefused(accessToken: string, claims: string): Promise<void>;
  /** The challenge the session's next sign-in must answer, if any. */
  pendingFor(session: SessionRecord): string | undefined;
}

export function createClaimsChallenges(
  deps: { clock: Clock; store: Pick<SessionStore, 'get' | 'update'> },
  options: { max?: number } = {},
) {
  // In-process and bounded: a token is refused (if ever) within its lifetime, minutes after use.
  const lru = <V extends {}>() =>
    createLru<string, V>({ max: options.max ?? 10_000, ttlMs: 30 * 60_000, clock: deps.clock });
  const sessionOf = lru<{ sessionId: string }>();
  const byToken = lru<{ claims: string }>();
  const keyOf = (accessToken: string) => createHash('sha256').update(accessToken).digest('base64url');
  const challenges: ClaimsChallenges = {
    tokenServed(accessToken, sessionId) {
      sessionOf.set(keyOf(accessToken), { sessionId });
    },
    async rememberRefused(accessToken, claims) {
      if (!isClaimsJson(claims)) return;
      const key = keyOf(accessToken);
      const sessionId = sessionOf.get(key)?.sessionId;
      const session = sessionId ? await deps.store.get(sessionId) : undefined;
      if (!session) {
        byToken.set(key, { claims });
        return;
      }
      await deps.store.update(session.id, { tokens: { ...session.tokens, claimsChallenge: claims } });
    },
    pendingFor(session) {
      if (session.tokens.claimsChallenge) return session.tokens.claimsChallenge;
      for (const token of Object.values(session.resourceTokens)) {
        const found = byToken.get(keyOf(token.accessToken));
        if (found) return found.claims;
      }
      return undefined;
    },
  };
  return challenges;
}

/** The token manager, telling `challenges` which session each resource token it serves belongs to. */
export function trackServedTokens(tokens: TokenManager, challenges: ClaimsChallenges): TokenManager {
  return {
    ...tokens,
    async resourceToken(session, spec) {
      const result = await tokens.resourceToken(session, spec);
      if (result.kind === 'token') challenges.tokenServed(result.accessToken, result.session.id);
      return result;
    },
  };
}
