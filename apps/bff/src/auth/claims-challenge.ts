import { createHash } from 'node:crypto';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';
import type { SessionRecord } from '../session/session-store';

/**
 * Conditional Access claims challenges waiting for the user's next sign-in. A refresh's challenge
 * is stored in the session's encrypted tokens (`tokens.claimsChallenge`, refresh-failure.ts); a
 * Graph challenge is kept here, keyed by a hash of the access token Graph refused — a token only
 * that session holds — so the sign-in can find it from the session alone. The browser never sends
 * a claims value: the BFF only replays what a provider gave it.
 */
export interface ClaimsChallenges {
  /** Graph refused `accessToken` with `claims` (the decoded JSON of `WWW-Authenticate: … claims=`). */
  rememberRefused(accessToken: string, claims: string): void;
  /** The challenge the session's next sign-in must answer, if any. */
  pendingFor(session: SessionRecord): string | undefined;
}

/** Claims values bigger than this are not a challenge we replay (Entra's are a few hundred bytes). */
export const MAX_CLAIMS_LENGTH = 4096;

export function createClaimsChallenges(deps: { clock: Clock }, options: { max?: number } = {}) {
  // In-process and bounded: a challenge outlives the token it answers by minutes at most.
  const byToken = createLru<string, { claims: string }>({
    max: options.max ?? 10_000,
    ttlMs: 30 * 60_000,
    clock: deps.clock,
  });
  const keyOf = (accessToken: string) => createHash('sha256').update(accessToken).digest('base64url');
  const challenges: ClaimsChallenges = {
    rememberRefused(accessToken, claims) {
      if (isClaimsJson(claims)) byToken.set(keyOf(accessToken), { claims });
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

/** A claims request as JSON text: an object, of a sane size. */
export function isClaimsJson(value: string): boolean {
  if (value.length === 0 || value.length > MAX_CLAIMS_LENGTH) return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** The client capability of a CAE-capable app (MSAL's `clientCapabilities: ["CP1"]`). */
const CAE_CAPABLE = { access_token: { xms_cc: { values: ['cp1'] } } };

/**
 * The `claims` parameter of a sign-in or token request: the challenge (if any) merged with the CAE
 * capability, as MSAL merges them; Entra reads both from one object.
 */
export function claimsParameter(challenge: string | undefined): string {
  if (!challenge) return JSON.stringify(CAE_CAPABLE);
  const parsed = JSON.parse(challenge) as Record<string, unknown>;
  const access =
    typeof parsed.access_token === 'object' && parsed.access_token !== null
      ? (parsed.access_token as Record<string, unknown>)
      : {};
  return JSON.stringify({ ...parsed, access_token: { ...access, ...CAE_CAPABLE.access_token } });
}
