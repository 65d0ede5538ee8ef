/**
 * Certificate credentials (private_key_jwt) end to end: the BFF signs a client assertion for every
 * token request and the emulator checks it as Entra does. The PEM pairs are test-only, made once with
 * `openssl req -x509` (fixtures/client-certificate: app = registered, other = not registered).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';
import { contosoSeed, type Seed } from '@gatehouse/entra-emulator';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/client-certificate/${name}`, import.meta.url));
const pem = (name: string) => readFileSync(fixture(name), 'utf8');
const x5tS256 = (name: string) =>
  createHash('sha256')
    .update(new X509Certificate(pem(name)).raw)
    .digest('base64url');
const host = new URL(APP_ORIGIN).host;

/** The demo tenant with the Gatehouse app changed as given. */
function seedWithApp(
  change: (app: Seed['applications'][number]) => Partial<Seed['applications'][number]>,
): Seed {
  return {
    ...contosoSeed,
    applications: contosoSeed.applications.map((app) =>
      app.clientId === DEMO.clientId ? { ...app, ...change(app) } : app,
    ),
  };
}

/** The app holds the "app" certificate only: no secret left. */
const certificateOnly = seedWithApp(() => ({ secrets: [], certificates: [pem('app.crt')] }));
const certificateEnv = (name: 'app' | 'other') => ({
  OPENID_CLIENT_SECRET: '',
  OPENID_CLIENT_CERTIFICATE: fixture(`${name}.crt`),
  OPENID_CLIENT_PRIVATE_KEY: fixture(`${name}.key`),
});

interface TokenRequest {
  form: URLSearchParams;
  status: number;
}

/** A harness whose token requests (form and answer status) are kept, in order. */
async function recordingHarness(options: { seed: Seed; env: Record<string, string> }) {
  const requests: TokenRequest[] = [];
  const h = await createHarness({
    ...options,
    providerFetch: (emulator) => async (request) => {
      if (!request.url.endsWith('/oauth2/v2.0/token')) return emulator.fetch(request);
      const form = new URLSearchParams(await request.clone().text());
      const response = await emulator.fetch(request);
      requests.push({ form, status: response.status });
      return response;
    },
  });
  harness = h;
  return { h, requests };
}

function expectAssertion(form: URLSearchParams, tokenEndpoint: string) {
  expect(form.get('client_secret')).toBeNull();
  expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  const assertion = form.get('client_assertion')!;
  expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', 'x5t#S256': x5tS256('app.crt') });
  const claims = decodeJwt(assertion);
  expect(claims).toMatchObject({ aud: tokenEndpoint, iss: DEMO.clientId, sub: DEMO.clientId });
  expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(600);
  return claims.jti;
}

describe('certificate credentials (private_key_jwt)', () => {
  it('redeem the code, refresh and ask for an app-only token with a fresh assertion each time, never a secret', async () => {
    const { h, requests } = await recordingHarness({ seed: certificateOnly, env: certificateEnv('app') });
    const tokenEndpoint = `${h.emulator.baseUrl}/${DEMO.tenantId}/oauth2/v2.0/token`;
    h.emulator.control.setAccessTokenLifetime(120);
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);

    h.advance(65_000); // past half the 2-minute lifetime: the next call refreshes
    expect((await h.api(browser, routes.session)).status).toBe(200);
    await h.deps.oidc.clientCredentials(['https://graph.microsoft.com/.default']);

    expect(requests.map(({ form, status }) => [form.get('grant_type'), status])).toEqual([
      ['authorization_code', 200],
      ['refresh_token', 200],
      ['client_credentials', 200],
    ]);
    const counters = h.emulator.control.counters().token;
    expect(counters.refresh_token?.[DEMO.clientId]).toBe(1);
    const jtis = requests.map(({ form }) => expectAssertion(form, tokenEndpoint));
    expect(new Set(jtis).size).toBe(3);
  });

  it('a certificate the app registration does not hold: the sign-in error page, AADSTS700027 in the log', async () => {
    const { h, requests } = await recordingHarness({ seed: certificateOnly, env: certificateEnv('other') });
    const browser = h.newBrowser();
    const end = await h.signIn(browser, 'adele@contoso.test');
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('invalid_client');
    expect(end.url.searchParams.get('hint')).toMatch(/OPENID_CLIENT_CERTIFICATE.*thumbprint/);
    expect(browser.cookies(host)['__Host-gatehouse']).toBeUndefined();
    expect(requests.map(({ status }) => status)).toEqual([401]);
    expect(h.logs.join('')).toMatch(/AADSTS700027/);
    expect(h.logs.join('')).not.toContain('BEGIN PRIVATE KEY');
  });

  it('a refresh refused for the certificate (AADSTS700027) answers 503 and keeps the session', async () => {
    // After sign-in the assertions name a thumbprint the registration does not hold, as when the
    // certificate was deleted from the app registration.
    let certificateDeleted = false;
    const h = await createHarness({
      seed: certificateOnly,
      env: certificateEnv('app'),
      providerFetch: (emulator) => async (request) => {
        if (!certificateDeleted || !request.url.endsWith('/oauth2/v2.0/token'))
          return emulator.fetch(request);
        const form = new URLSearchParams(await request.text());
        const [header, payload, signature] = form.get('client_assertion')!.split('.');
        const fields = {
          ...JSON.parse(Buffer.from(header!, 'base64url').toString()),
          'x5t#S256': x5tS256('other.crt'),
        };
        form.set(
          'client_assertion',
          [Buffer.from(JSON.stringify(fields)).toString('base64url'), payload, signature].join('.'),
        );
        return emulator.fetch(
          new Request(request.url, { method: 'POST', headers: request.headers, body: form }),
        );
      },
    });
    harness = h;
    h.emulator.control.setAccessTokenLifetime(120);
    const browser = h.newBrowser();
    await h.signIn(browser, 'adele@contoso.test');
    const sessionId = browser.cookies(host)['__Host-gatehouse']!;
    certificateDeleted = true;
    h.advance(121_000); // expired: the call needs a refresh
    const refused = await h.api(browser, routes.session);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: 'provider_unavailable' });
    expect(await h.store.get(sessionId)).toBeDefined();
    expect(h.logs.join('')).toMatch(/AADSTS700027/);
  });

  it('an assertion presented twice (same jti) is refused the second time', async () => {
    const { h, requests } = await recordingHarness({ seed: certificateOnly, env: certificateEnv('app') });
    await h.deps.oidc.clientCredentials(['https://graph.microsoft.com/.default']);
    const [first] = requests;
    expect(first?.status).toBe(200);
    const replay = await h.emulator.fetch(
      new Request(`${h.emulator.baseUrl}/${DEMO.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: first!.form,
      }),
    );
    expect(replay.status).toBe(401);
    const body = (await replay.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^AADSTS50013: .*already used/);
  });

  it('an expired client secret: the configuration error page, AADSTS7000222 in the log', async () => {
    const seed = seedWithApp((app) => ({
      secretEndDates: Object.fromEntries(app.secrets.map((secret) => [secret, '2024-01-01T00:00:00Z'])),
    }));
    const { h } = await recordingHarness({ seed, env: {} });
    const browser = h.newBrowser();
    const end = await h.signIn(browser, 'adele@contoso.test');
    expect(end.url.pathname).toBe('/sign-in-error');
    expect(end.url.searchParams.get('code')).toBe('client_secret_expired');
    expect(end.url.searchParams.get('hint')).toMatch(/expired.*OPENID_CLIENT_SECRET/);
    expect(h.logs.join('')).toMatch(/AADSTS7000222/);
  });
});
