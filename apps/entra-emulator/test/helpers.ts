import { decodeJwt } from 'jose';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/emulator';
import {
  CONTOSO_TENANT_ID,
  contosoSeed,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from '../src/seed/contoso';
import type { Seed } from '../src/seed/types';
import { type CookieJar, createCookieJar, signIn } from '../src/testing';

export const BASE = 'http://localhost:3090';

/** The demo seed with its app registration made multi-tenant (`AzureADMultipleOrgs`). */
export const multiTenantSeed: Seed = {
  ...contosoSeed,
  applications: [{ ...contosoSeed.applications[0]!, signInAudience: 'AzureADMultipleOrgs' }],
};
export const TENANT_BASE = `${BASE}/${CONTOSO_TENANT_ID}`;

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return decodeJwt(token) as Record<string, unknown>;
}

/** A fake clock tests move forward. */
export function createFakeClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export function createTestEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulator({ baseUrl: BASE, ...options });
}

export interface AuthorizeParams {
  scope?: string;
  state?: string;
  nonce?: string;
  prompt?: string;
  redirectUri?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  responseMode?: string;
  loginHint?: string;
  clientId?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(p: AuthorizeParams = {}): URL {
  const url = new URL(`${TENANT_BASE}/oauth2/v2.0/authorize`);
  const params: Record<string, string | undefined> = {
    client_id: p.clientId ?? GATEHOUSE_CLIENT_ID,
    response_type: 'code',
    redirect_uri: p.redirectUri ?? GATEHOUSE_REDIRECT_URI,
    scope: p.scope ?? 'openid profile email offline_access User.Read',
    state: p.state ?? 'state-1',
    nonce: p.nonce,
    prompt: p.prompt,
    code_challenge: p.codeChallenge,
    code_challenge_method: p.codeChallengeMethod,
    response_mode: p.responseMode,
    login_hint: p.loginHint,
    ...p.extra,
  };
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url;
}

/** Signs a user in through the pages and returns the authorization code (and the SSO cookies). */
export async function getCode(
  emulator: Pick<Emulator, 'fetch'>,
  username: string,
  params: AuthorizeParams = {},
  cookies: CookieJar = createCookieJar(),
): Promise<{ code: string; cookies: CookieJar; redirect: URL }> {
  const result = await signIn({
    fetch: emulator.fetch,
    authorizeUrl: authorizeUrl(params),
    username,
    password: 'Passw0rd!',
    cookies,
  });
  if (result.kind !== 'redirect') throw new Error(`sign-in did not redirect: ${result.kind}`);
  const code = result.url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${result.url}: ${result.url.searchParams.get('error_description')}`);
  return { code, cookies: result.cookies, redirect: result.url };
}

export async function tokenRequest(
  emulator: Pick<Emulator, 'fetch'>,
  params: Record<string, string>,
  auth: { clientId?: string; secret?: string; basic?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const clientId = auth.clientId ?? GATEHOUSE_CLIENT_ID;
  const secret = auth.secret ?? GATEHOUSE_CLIENT_SECRET;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(params);
  if (auth.basic) headers.authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
  else {
    body.set('client_id', clientId);
    body.set('client_secret', secret);
  }
  const response = await emulator.fetch(
    new Request(`${TENANT_BASE}/oauth2/v2.0/token`, { method: 'POST', headers, body }),
  );
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** Signs in and redeems the code: the usual start of a test. */
export async function signInAndRedeem(
  emulator: Pick<Emulator, 'fetch'>,
  username: string,
  params: AuthorizeParams = {},
) {
  const { code, cookies } = await getCode(emulator, username, params);
  const { status, body } = await tokenRequest(emulator, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: params.redirectUri ?? GATEHOUSE_REDIRECT_URI,
  });
  if (status !== 200) throw new Error(`code redemption failed: ${JSON.stringify(body)}`);
  return { tokens: body as Record<string, string>, cookies };
}

export interface GraphResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Graph JSON
  body: Record<string, any>;
}

export async function graphGet(
  emulator: Pick<Emulator, 'fetch'>,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<GraphResult> {
  const response = await emulator.fetch(
    new Request(`${BASE}/v1.0${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** A response's JSON body, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export async function json(response: Response): Promise<any> {
  return response.json();
}
