/**
 * The ID token's claims, each on its own: a token that is validly signed by a key the provider
 * publishes, and differs from the emulator's only in `iss`, `aud`, `azp`, `exp` or `iat`, ends the
 * sign-in at `/sign-in-error` and creates no session.
 *
 * How: the provider's responses pass through `providerFetch`, which publishes one extra key in the
 * JWKS and re-signs the token endpoint's ID token with it after changing one claim. The first test
 * re-signs without a change and signs in, so each refusal is the changed claim's doing.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const KID = 'test-resigning-key';
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let publicJwk: Record<string, unknown>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig', kty: 'RSA' };
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Claims = Record<string, unknown>;

async function signInWith(change: (claims: Claims, now: number) => void) {
  harness = await createHarness({
    providerFetch: (emulator) => async (request) => {
      const response = await emulator.fetch(request);
      if (request.url.includes('/discovery/v2.0/keys')) {
        const jwks = (await response.json()) as { keys: unknown[] };
        return Response.json({ keys: [...jwks.keys, publicJwk] });
      }
      if (!request.url.endsWith('/oauth2/v2.0/token') || !response.ok) return response;
      const body = (await response.json()) as { id_token?: string };
      if (body.id_token) {
        const payload = body.id_token.split('.')[1]!;
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
        change(claims, Math.floor(Date.now() / 1000));
        body.id_token = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
          .sign(privateKey);
      }
      return Response.json(body);
    },
  });
  const browser = harness.newBrowser();
  const end = await harness.signIn(browser, 'adele@contoso.test');
  const sessions = await harness.deps.database.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return {
    end,
    cookie: browser.cookies(new URL(APP_ORIGIN).host)['__Host-gatehouse'],
    sessions: Number(sessions.count),
    logs: harness.logs.join(''),
  };
}

async function expectRefused(
  change: (claims: Claims, now: number) => void,
  code: 'invalid_token' | 'clock_skew' = 'invalid_token',
) {
  const { end, cookie, sessions, logs } = await signInWith(change);
  expect(end.url.pathname).toBe('/sign-in-error');
  // A timestamp outside the tolerance is reported as clock skew: the operator's likely fix.
  expect(end.url.searchParams.get('code')).toBe(code);
  expect(cookie).toBeUndefined();
  expect(sessions).toBe(0);
  return logs;
}

describe('ID-token claim checks at the callback', () => {
  it('accepts the re-signed token when no claim is changed (the control case)', async () => {
    const { end, cookie, sessions } = await signInWith(() => {});
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(cookie).toBeDefined();
    expect(sessions).toBe(1);
  });

  it('refuses another issuer (iss): the same keys, another tenant', async () => {
    const logs = await expectRefused((claims) => {
      claims.iss = String(claims.iss).replace(String(claims.tid), '72f988bf-86f1-41af-91ab-2d7cd011db47');
    });
    expect(logs).toMatch(/iss/);
  });

  it('refuses a token for another app registration (aud)', async () => {
    const logs = await expectRefused((claims) => {
      claims.aud = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
    });
    expect(logs).toMatch(/aud/);
  });

  it('refuses a token shared with another app that names that app as the authorized party (azp)', async () => {
    const logs = await expectRefused((claims) => {
      claims.aud = [claims.aud, '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
      claims.azp = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
    });
    expect(logs).toMatch(/azp/);
  });

  it('refuses a token shared with another app without an authorized party (azp missing)', async () => {
    await expectRefused((claims) => {
      claims.aud = [claims.aud, '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
    });
  });

  it('refuses an expired token (exp), past the configured clock tolerance', async () => {
    const logs = await expectRefused((claims, now) => {
      claims.iat = now - 3600 - 120;
      claims.nbf = claims.iat;
      claims.exp = now - 120; // OPENID_CLOCK_TOLERANCE is 60 s
    }, 'clock_skew');
    expect(logs).toMatch(/exp/);
  });

  it('refuses a token without an issue time (iat)', async () => {
    const logs = await expectRefused((claims) => {
      delete claims.iat;
    });
    expect(logs).toMatch(/iat/);
  });

  it('refuses a token issued long ago although it has not expired (iat)', async () => {
    const logs = await expectRefused((claims, now) => {
      claims.iat = now - 3 * 3600;
      claims.nbf = claims.iat;
      claims.exp = now + 3600;
    }, 'clock_skew');
    expect(logs).toMatch(/iat/);
  });

  it('refuses a token issued in the future, past the clock tolerance (iat)', async () => {
    const logs = await expectRefused((claims, now) => {
      claims.iat = now + 600;
      claims.exp = now + 3600;
    }, 'clock_skew');
    expect(logs).toMatch(/iat/);
  });
});
