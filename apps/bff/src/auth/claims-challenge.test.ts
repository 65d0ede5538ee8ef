import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createGraphClient, GraphAuthError, insufficientClaimsOf } from '../graph/graph-client';
import { createMemorySessionStore } from '../session/memory-session-store';
import { createClaimsChallenges } from './claims-challenge';
import { claimsParameter, isClaimsJson, MAX_CLAIMS_LENGTH } from './claims-parameter';

const STEP_UP = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const clock = { now: () => Date.UTC(2026, 0, 15) };

describe('claimsParameter', () => {
  it('is the CAE capability alone without a challenge', () => {
    expect(JSON.parse(claimsParameter(undefined))).toEqual({ access_token: { xms_cc: { values: ['cp1'] } } });
  });

  it('merges the challenge with the CAE capability, keeping both', () => {
    const merged = JSON.parse(
      claimsParameter(
        '{"access_token":{"acrs":{"essential":true,"value":"c1"}},"id_token":{"amr":{"values":["mfa"]}}}',
      ),
    );
    expect(merged).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' }, xms_cc: { values: ['cp1'] } },
      id_token: { amr: { values: ['mfa'] } },
    });
  });
});

describe('isClaimsJson', () => {
  it.each([
    [STEP_UP, true],
    ['[1]', false],
    ['"text"', false],
    ['{not json', false],
    ['', false],
    [`{"a":"${'x'.repeat(MAX_CLAIMS_LENGTH)}"}`, false],
  ])('%s → %s', (value, expected) => {
    expect(isClaimsJson(value)).toBe(expected);
  });
});

describe("Graph's insufficient_claims challenge", () => {
  const header = (claims: string) =>
    `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${claims}"`;

  it('reads the base64 claims of an insufficient_claims challenge only', () => {
    expect(insufficientClaimsOf(header(b64(STEP_UP)))).toBe(STEP_UP);
    expect(insufficientClaimsOf('Bearer realm="", error="invalid_token"')).toBeUndefined();
    expect(insufficientClaimsOf(header(b64('not json')))).toBeUndefined();
    expect(insufficientClaimsOf(undefined)).toBeUndefined();
  });

  it('becomes 401 interaction_required/claims_challenge, and the challenge lands in the session that used the token', async () => {
    const store = createMemorySessionStore();
    const session = await store.create({
      id: 's'.repeat(43),
      userId: 'u1',
      issuer: 'https://issuer.test',
      roles: [],
      tokens: { idToken: 'id' },
      createdAt: clock.now(),
      lastSeenAt: clock.now(),
      idleExpiresAt: clock.now() + 3600_000,
      absoluteExpiresAt: clock.now() + 3600_000,
    });
    const challenges = createClaimsChallenges({ clock, store });
    challenges.tokenServed('graph-token', session.id);
    const graph = createGraphClient({
      fetch: (async () =>
        new Response(JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'CAE' } }), {
          status: 401,
          headers: { 'www-authenticate': header(b64(STEP_UP)) },
        })) as typeof fetch,
      log: pino({ level: 'silent' }),
      onClaimsChallenge: challenges.rememberRefused,
    });

    const error = await graph.json('graph-token', { path: '/me' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as GraphAuthError).toBody()).toMatchObject({
      error: 'interaction_required',
      reason: 'claims_challenge',
    });
    const stored = (await store.get(session.id))!;
    expect(stored.tokens.claimsChallenge).toBe(STEP_UP);
    expect(challenges.pendingFor(stored)).toBe(STEP_UP);
  });

  it('keeps a challenge for a token of no known session in memory, found by the session holding it', async () => {
    const store = createMemorySessionStore();
    const challenges = createClaimsChallenges({ clock, store });
    await challenges.rememberRefused('orphan-token', STEP_UP);
    const holder = {
      tokens: { idToken: 'id' },
      resourceTokens: { g: { accessToken: 'orphan-token', expiresAt: 0, scope: '' } },
    } as unknown as Parameters<typeof challenges.pendingFor>[0];
    expect(challenges.pendingFor(holder)).toBe(STEP_UP);
    const other = { ...holder, resourceTokens: {} } as typeof holder;
    expect(challenges.pendingFor(other)).toBeUndefined();
  });
});
