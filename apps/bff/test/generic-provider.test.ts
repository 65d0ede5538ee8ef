/**
 * The same BFF against a second, independent OpenID provider: panva's certified `oidc-provider`,
 * configured here as a plain (non-Entra) OP on a free port. Proves Gatehouse is not tied to the
 * emulator: standard discovery, client_secret_post, PKCE, nonce, ID-token signature, refresh,
 * role from a custom claim, users keyed by (iss, sub), RP-initiated logout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '@gatehouse/config';
import { type ApiErrorBody, csrfHeader, routes, type SessionResponse } from '@gatehouse/contracts';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { type OpenedTestDatabase, testDatabases } from '../src/db/test-databases';
import { createAppDeps } from '../src/deps';
import { createLogger } from '../src/http/logger';
import { createBrowser } from './browser';

// Whole sign-ins through the emulator (and PostgreSQL): generous on a busy CI machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const APP = 'http://localhost:3080';
const CLIENT_ID = 'gatehouse-generic';
const CLIENT_SECRET = 'generic-provider-client-secret-0123456789';
const accounts: Record<string, { name: string; email: string; groups: string[] }> = {
  ada: { name: 'Ada Lovelace', email: 'ada@example.org', groups: ['engineers', 'gatehouse-users'] },
  bob: { name: 'Bob Builder', email: 'bob@example.org', groups: ['builders'] },
};

let server: Server;
let issuer: string;
let database: OpenedTestDatabase;
let now = Date.now();

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${APP}/oauth/openid/callback`],
        post_logout_redirect_uris: [`${APP}/login`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'generic-1', alg: 'RS256', use: 'sig' }] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    // Put scope-requested claims in the ID token (Entra does), so the role policy can read them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts[id];
      return account && { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    // A confidential client with the refresh_token grant gets a refresh token (no consent prompt).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx: {
      oidc: {
        provider: Provider;
        client: { clientId: string };
        session: { accountId: string; grantIdFor(clientId: string): string | undefined };
      };
    }) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid offline_access profile email groups');
      grant.addOIDCClaims(['name', 'email', 'groups']);
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  database = await (await testDatabases({ GATEHOUSE_TEST_DB: 'sqlite' }))[0]!.open();
});

afterAll(async () => {
  await database?.cleanup();
  await new Promise((resolve) => server?.close(resolve));
});

function setup() {
  const config = loadConfig({
    DOMAIN_SERVER: APP,
    NODE_ENV: 'development',
    ALLOW_SOCIAL_LOGIN: 'true',
    OPENID_ISSUER: issuer,
    OPENID_CLIENT_ID: CLIENT_ID,
    OPENID_CLIENT_SECRET: CLIENT_SECRET,
    OPENID_SESSION_SECRET: 'generic-provider-test-session-secret-0123456789',
    OPENID_SCOPE: 'openid profile email groups offline_access',
    OPENID_REQUIRED_ROLE: 'gatehouse-users',
    OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
    OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
    OPENID_REUSE_TOKENS: 'true',
    OPENID_USE_END_SESSION_ENDPOINT: 'true',
    // Idle for longer than the access token's hour without the session ending (the test jumps ahead).
    SESSION_EXPIRY: String(2 * 3600_000),
  });
  const logs: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const deps = createAppDeps({ config, database: database.database, log, clock: { now: () => now } });
  const app = createApp(deps);
  const browser = createBrowser({
    appOrigin: APP,
    handlers: { [APP]: async (request) => app.request(request) },
  });
  async function signIn(login: string) {
    const page = await browser.navigate(`${APP}${routes.login}`);
    expect(new URL(page.url).origin).toBe(issuer);
    // Entra's CAE `claims` are for Entra: its scope `groups` would read as Graph there, not here.
    const authorize = page.chain.find((url) => url.searchParams.has('code_challenge'));
    expect(authorize?.searchParams.get('scope')).toContain('groups');
    expect(authorize?.searchParams.has('claims')).toBe(false);
    return browser.submitForm(page, { login, password: 'any' });
  }
  const api = (path: string, init: RequestInit = {}) =>
    browser.api(path, { ...init, headers: { [csrfHeader.name]: csrfHeader.value } });
  return { deps, browser, signIn, api, logs };
}

describe('a generic OpenID provider (oidc-provider)', () => {
  it('signs Ada in, keyed by (iss, sub), with the role read from her groups claim', async () => {
    const { signIn, api, deps } = setup();
    const end = await signIn('ada');
    expect(end.url.href).toBe(`${APP}/`);
    const session = (await (await api(routes.session)).json()) as SessionResponse;
    expect(session.user).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      tenantId: '',
      roles: ['gatehouse-users'],
    });
    const row = await database.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', session.user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ identity_key: `iss:${issuer}`, subject: 'ada' });
    expect(deps.oidc.status().ready).toBe(true);
  });

  it('refuses Bob, who is not in gatehouse-users', async () => {
    const { signIn, api } = setup();
    const end = await signIn('bob');
    expect(end.url.pathname).toBe('/access-denied');
    expect(end.url.searchParams.get('roles')).toBe('gatehouse-users');
    expect((await api(routes.session)).status).toBe(401);
  });

  it('refreshes with the refresh token when the access token is due, re-checking the role', async () => {
    const { signIn, api, browser, logs } = setup();
    await signIn('ada');
    const id = browser.cookies('localhost:3080')['__Host-gatehouse']!;
    const before = (
      await database.database.db
        .selectFrom('sessions')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version;
    now += 58 * 60_000; // oidc-provider's access tokens live 1 hour
    const response = await api(routes.session);
    expect(response.status).toBe(200);
    const after = (
      await database.database.db
        .selectFrom('sessions')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version;
    expect(Number(after)).toBeGreaterThan(Number(before));
    expect(logs.some((line) => line.includes('session tokens refreshed'))).toBe(true);
  });

  it('logs out through the provider end-session endpoint', async () => {
    const { signIn, api } = setup();
    await signIn('ada');
    const { redirect } = (await (await api(routes.logout, { method: 'POST' })).json()) as {
      redirect: string;
    };
    const url = new URL(redirect);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${APP}/login`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    const after = await api(routes.session);
    expect(after.status).toBe(401);
    expect((await after.json()) as ApiErrorBody).toMatchObject({ error: 'login_required' });
  });
});
