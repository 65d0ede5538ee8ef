/**
 * The token endpoint's `private_key_jwt` checks, one at a time. Certificates are the BFF's test-only
 * PEM pairs (apps/bff/test/fixtures/client-certificate): `app` is registered, `other` is not.
 */
import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { contosoSeed } from '../src/index';
import { GATEHOUSE_CLIENT_ID, GATEHOUSE_CLIENT_SECRET } from '../src/seed/contoso';
import { createTestEmulator, TENANT_BASE, tokenRequest } from './helpers';

const pem = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../bff/test/fixtures/client-certificate/${name}`, import.meta.url)),
    'utf8',
  );
const thumbprint = (name: string, algorithm: 'sha1' | 'sha256') =>
  createHash(algorithm)
    .update(new X509Certificate(pem(name)).raw)
    .digest('base64url');
const TOKEN_ENDPOINT = `${TENANT_BASE}/oauth2/v2.0/token`;
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

function emulatorWithCertificate(options: { secretEndDate?: string } = {}) {
  const seed = {
    ...contosoSeed,
    applications: contosoSeed.applications.map((app) =>
      app.clientId === GATEHOUSE_CLIENT_ID
        ? {
            ...app,
            certificates: [pem('app.crt')],
            ...(options.secretEndDate
              ? { secretEndDates: { [GATEHOUSE_CLIENT_SECRET]: options.secretEndDate } }
              : {}),
          }
        : app,
    ),
  };
  return { emulator: createTestEmulator({ seed }) };
}

interface AssertionOptions {
  key?: string;
  header?: Record<string, string>;
  claims?: JWTPayload;
  lifetimeSeconds?: number;
  now?: number;
}

async function assertion(options: AssertionOptions = {}) {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({
    aud: TOKEN_ENDPOINT,
    iss: GATEHOUSE_CLIENT_ID,
    sub: GATEHOUSE_CLIENT_ID,
    jti: randomUUID(),
    iat: now,
    nbf: now,
    exp: now + (options.lifetimeSeconds ?? 60),
    ...options.claims,
  })
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      'x5t#S256': thumbprint('app.crt', 'sha256'),
      ...options.header,
    })
    .sign(createPrivateKey(pem(options.key ?? 'app.key')));
}

async function withAssertion(emulator: ReturnType<typeof createTestEmulator>, jwt: string) {
  const response = await emulator.fetch(
    new Request(TOKEN_ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: GRAPH_DEFAULT,
        client_id: GATEHOUSE_CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('client assertions (private_key_jwt)', () => {
  it('accepts an assertion naming the certificate by x5t#S256, and by the SHA-1 x5t', async () => {
    const { emulator } = emulatorWithCertificate();
    expect((await withAssertion(emulator, await assertion())).status).toBe(200);
    const sha1 = await assertion({
      header: { 'x5t#S256': undefined as never, x5t: thumbprint('app.crt', 'sha1') },
    });
    expect((await withAssertion(emulator, sha1)).status).toBe(200);
  });

  it('refuses an unregistered certificate (AADSTS700027, naming the thumbprint)', async () => {
    const { emulator } = emulatorWithCertificate();
    const jwt = await assertion({
      key: 'other.key',
      header: { 'x5t#S256': thumbprint('other.crt', 'sha256') },
    });
    const { status, body } = await withAssertion(emulator, jwt);
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(body.error_description).toContain(thumbprint('other.crt', 'sha256'));
  });

  it("refuses a registered thumbprint over another key's signature (AADSTS700027)", async () => {
    const { emulator } = emulatorWithCertificate();
    const { body } = await withAssertion(emulator, await assertion({ key: 'other.key' }));
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(body.error_description).toMatch(/signature validation/);
  });

  it('refuses another audience, and iss/sub other than the client id', async () => {
    const { emulator } = emulatorWithCertificate();
    const issuer = await withAssertion(emulator, await assertion({ claims: { aud: `${TENANT_BASE}/v2.0` } }));
    expect(issuer.body).toMatchObject({ error_codes: [50013] });
    expect(issuer.body.error_description).toMatch(/audience/);
    const other = await withAssertion(emulator, await assertion({ claims: { iss: 'someone-else' } }));
    expect(other.body).toMatchObject({ error: 'invalid_client', error_codes: [700021] });
  });

  it('refuses an expired assertion, one not yet valid, and one valid for more than 10 minutes (AADSTS700024)', async () => {
    const { emulator } = emulatorWithCertificate();
    const expired = await assertion({ now: Date.now() - 20 * 60_000 });
    expect((await withAssertion(emulator, expired)).body).toMatchObject({ error_codes: [700024] });
    const future = await assertion({ now: Date.now() + 20 * 60_000 });
    expect((await withAssertion(emulator, future)).body).toMatchObject({ error_codes: [700024] });
    const long = await assertion({ lifetimeSeconds: 3600 });
    expect((await withAssertion(emulator, long)).body).toMatchObject({ error_codes: [700024] });
  });

  it('refuses a jti it has already seen, until that assertion expires', async () => {
    const { emulator } = emulatorWithCertificate();
    const jwt = await assertion();
    expect((await withAssertion(emulator, jwt)).status).toBe(200);
    const replay = await withAssertion(emulator, jwt);
    expect(replay.body).toMatchObject({ error: 'invalid_client', error_codes: [50013] });
    expect(replay.body.error_description).toMatch(/already used/);
  });

  it('refuses a secret past its end date (AADSTS7000222) and keeps one that is not', async () => {
    const expired = emulatorWithCertificate({ secretEndDate: '2024-01-01T00:00:00Z' }).emulator;
    const refused = await tokenRequest(expired, { grant_type: 'client_credentials', scope: GRAPH_DEFAULT });
    expect(refused.body).toMatchObject({ error: 'invalid_client', error_codes: [7000222] });
    const current = emulatorWithCertificate({ secretEndDate: '2999-01-01T00:00:00Z' }).emulator;
    expect(
      (await tokenRequest(current, { grant_type: 'client_credentials', scope: GRAPH_DEFAULT })).status,
    ).toBe(200);
  });

  it('refuses a seed whose certificate is not PEM or whose secret end date is not a date', () => {
    const app = contosoSeed.applications[0]!;
    const broken = {
      ...app,
      certificates: ['not a certificate'],
      secretEndDates: { [app.secrets[0]!]: 'soon' },
    };
    expect(() => createTestEmulator({ seed: { ...contosoSeed, applications: [broken] } })).toThrow(
      /certificate 1, which is not a PEM certificate[\s\S]*secret end date "soon", which is not a date/,
    );
  });
});
