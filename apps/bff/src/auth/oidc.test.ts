import {
  createEmulator,
  DEMO_PASSWORD,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
} from '@gatehouse/entra-emulator';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createBrowser } from '../../test/browser';
import { createOidcClient, type LoginSecrets, type OidcClient } from './oidc';
import { OidcError } from './oidc-error';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const REDIRECT_URI = 'http://localhost:3080/oauth/openid/callback';
const SCOPE = ['openid', 'profile', 'email', 'offline_access'];

function setup(
  options: {
    emulator?: ReturnType<typeof createEmulator>;
    fetch?: (request: Request) => Promise<Response>;
  } = {},
) {
  const emulator = options.emulator ?? createEmulator();
  const jwksRequests: string[] = [];
  const emulatorFetch = options.fetch ?? emulator.fetch;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.includes('/discovery/')) jwksRequests.push(request.url);
    return emulatorFetch(request);
  }) as typeof globalThis.fetch;
  const oidc = createOidcClient({
    issuer: emulator.issuer(),
    clientId: GATEHOUSE_CLIENT_ID,
    clientSecret: GATEHOUSE_CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    clockToleranceSeconds: 60,
    fetch,
    log: pino({ level: 'silent' }),
    discoveryRetryDelayMs: 0,
  });
  const browser = appStub(emulator);
  /** Signs `user` in at the emulator and returns the callback's query (the browser stops there). */
  async function authorize(
    user: string,
    secrets: LoginSecrets = oidc.randomLoginSecrets(),
    tamper?: (url: URL) => void,
  ) {
    const url = await oidc.authorizationUrl({ secrets, scope: SCOPE });
    tamper?.(url);
    const page = await browser.navigate(url);
    // With a single sign-on session at the emulator the browser is back at the callback at once.
    const result = page.url.href.startsWith(REDIRECT_URI)
      ? page
      : await browser.submitForm(page, { loginfmt: user, passwd: DEMO_PASSWORD });
    if (!result.url.href.startsWith(REDIRECT_URI))
      throw new Error(`Sign-in did not reach the callback: ${result.body.slice(0, 300)}`);
    return { query: result.url.searchParams, secrets };
  }
  return { emulator, oidc, authorize, jwksRequests };
}

/** A browser whose app origin only answers "callback reached", so the test reads the callback URL. */
function appStub(emulator: ReturnType<typeof createEmulator>) {
  return createBrowser({
    appOrigin: 'http://localhost:3080',
    handlers: {
      [emulator.baseUrl]: emulator.fetch,
      'http://localhost:3080': async () => new Response('callback reached'),
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<OidcError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(OidcError);
  return error as OidcError;
}

describe('OIDC client against the Entra emulator', () => {
  it('signs Adele in: code + PKCE redeemed, ID token validated, refresh token issued', async () => {
    const { oidc, authorize, emulator } = setup();
    const { query, secrets } = await authorize('adele@contoso.test');
    const tokens = await oidc.redeemCode(query, secrets);
    expect(tokens.claims).toMatchObject({ tid: emulator.seed.tenant.id, roles: ['Gatehouse.User'] });
    expect(tokens.claims.oid).toBeTypeOf('string');
    expect(tokens.refreshToken).toBeTypeOf('string');
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());

    const refreshed = await oidc.refresh(tokens.refreshToken!, { scope: SCOPE });
    expect(refreshed.claims?.sub).toBe(tokens.claims.sub);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  });

  it('refuses a callback whose state is not the one sent', async () => {
    const { oidc, authorize } = setup();
    const { query, secrets } = await authorize('adele@contoso.test');
    const error = await failure(
      oidc.redeemCode(query, { ...secrets, state: oidc.randomLoginSecrets().state }),
    );
    expect(error.failure).toBe('state_mismatch');
  });

  it('refuses an ID token whose nonce is not the one of this sign-in', async () => {
    const { oidc, authorize } = setup();
    const secrets = oidc.randomLoginSecrets();
    const { query } = await authorize('adele@contoso.test', secrets, (url) =>
      url.searchParams.set('nonce', 'attacker'),
    );
    const error = await failure(oidc.redeemCode(query, secrets));
    expect(error.failure).toBe('nonce_mismatch');
  });

  it('refuses an ID token from the token endpoint whose claims were altered (signature check)', async () => {
    const emulator = createEmulator();
    const tamperingFetch = async (request: Request) => {
      const response = await emulator.fetch(request);
      if (!request.url.endsWith('/oauth2/v2.0/token') || !response.ok) return response;
      const body = (await response.json()) as { id_token: string };
      const [header, payload, signature] = body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      claims.roles = ['Gatehouse.Admin'];
      body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join(
        '.',
      );
      return Response.json(body);
    };
    const { oidc, authorize } = setup({ emulator, fetch: tamperingFetch });
    const { query, secrets } = await authorize('adele@contoso.test');
    const error = await failure(oidc.redeemCode(query, secrets));
    expect(error.failure).toBe('bad_signature');
  });

  it('fetches the key set once more when the provider signs with a new key, and only once', async () => {
    const { oidc, authorize, emulator, jwksRequests } = setup();
    const first = await authorize('adele@contoso.test');
    await oidc.redeemCode(first.query, first.secrets);
    expect(jwksRequests).toHaveLength(1);

    emulator.control.rotateKeys({ keepOld: false });
    const second = await authorize('adele@contoso.test');
    const tokens = await oidc.redeemCode(second.query, second.secrets);
    expect(tokens.claims.sub).toBeTypeOf('string');
    expect(jwksRequests).toHaveLength(2);
  });

  it('classifies a revoked refresh token as invalid_grant with its AADSTS code', async () => {
    const { oidc, authorize, emulator } = setup();
    const { query, secrets } = await authorize('adele@contoso.test');
    const tokens = await oidc.redeemCode(query, secrets);
    emulator.control.revokeRefreshTokens('adele');
    const error = await failure(oidc.refresh(tokens.refreshToken!, { scope: SCOPE }));
    expect(error.failure).toBe('invalid_grant');
    expect(error.provider.aadsts).toContain(50173);
    expect(error.toBody()).toMatchObject({ error: 'login_required', reason: 'revoked' });
  });

  it('classifies a token endpoint that is down as provider_unavailable', async () => {
    const { oidc, authorize, emulator } = setup();
    const { query, secrets } = await authorize('adele@contoso.test');
    const tokens = await oidc.redeemCode(query, secrets);
    emulator.control.tokenEndpointDown(true);
    const error = await failure(oidc.refresh(tokens.refreshToken!, { scope: SCOPE }));
    expect(error.failure).toBe('provider_unavailable');
    expect(error.status).toBe(503);
  });

  it('keeps sign-in possible when the provider was down at start-up (lazy re-discovery)', async () => {
    const emulator = createEmulator();
    let down = true;
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      if (down) throw new TypeError('fetch failed');
      return emulator.fetch(new Request(input, init));
    }) as typeof globalThis.fetch;
    let now = 0;
    const oidc: OidcClient = createOidcClient({
      issuer: emulator.issuer(),
      clientId: GATEHOUSE_CLIENT_ID,
      clientSecret: GATEHOUSE_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      clockToleranceSeconds: 60,
      fetch,
      clock: { now: () => now },
      log: pino({ level: 'silent' }),
      discoveryAttempts: 2,
      discoveryRetryDelayMs: 0,
      rediscoveryCooldownMs: 10_000,
    });
    expect(await oidc.start()).toBe(false);
    expect(oidc.status()).toMatchObject({ ready: false, error: expect.any(String) });
    down = false;
    // Within the cooldown the last failure is answered without hammering the provider.
    expect(
      (await failure(oidc.authorizationUrl({ secrets: oidc.randomLoginSecrets(), scope: SCOPE }))).failure,
    ).toBe('provider_unavailable');
    now += 10_001;
    const url = await oidc.authorizationUrl({ secrets: oidc.randomLoginSecrets(), scope: SCOPE });
    expect(url.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
    expect(oidc.status().ready).toBe(true);
  });

  it('refuses plain http for an issuer that is not on this machine', () => {
    expect(() =>
      createOidcClient({
        issuer: 'http://login.example.com/tenant/v2.0',
        clientId: 'c',
        clientSecret: 's',
        redirectUri: REDIRECT_URI,
        clockToleranceSeconds: 60,
        log: pino({ level: 'silent' }),
      }),
    ).toThrow(/must use https/);
  });

  it('refuses an ID token of another tenant than the configured one', async () => {
    const emulator = createEmulator();
    const oidc = createOidcClient({
      issuer: emulator.issuer(),
      clientId: GATEHOUSE_CLIENT_ID,
      clientSecret: GATEHOUSE_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      clockToleranceSeconds: 60,
      expectedTenantId: '00000000-0000-0000-0000-000000000000',
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        emulator.fetch(new Request(input, init))) as typeof fetch,
      log: pino({ level: 'silent' }),
    });
    const browser = appStub(emulator);
    const secrets = oidc.randomLoginSecrets();
    const page = await browser.navigate(await oidc.authorizationUrl({ secrets, scope: SCOPE }));
    const result = await browser.submitForm(page, { loginfmt: 'adele@contoso.test', passwd: DEMO_PASSWORD });
    const error = await failure(oidc.redeemCode(result.url.searchParams, secrets));
    expect(error.failure).toBe('invalid_token');
  });
});
