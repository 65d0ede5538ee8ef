/**
 * A provider that answers a refresh without a new ID token, while the required role is read from
 * the ID token (OPENID_REQUIRED_ROLE_TOKEN_KIND=id): the old token's roles prove nothing about now,
 * so the role is re-checked in a fresh userinfo response, or — without a userinfo endpoint — the
 * session ends and the user signs in again.
 */
import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import type { Emulator } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness, refreshGrants } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const host = new URL(APP_ORIGIN).host;
const MINUTE = 60_000;
/** Past the point where a 10-minute access token has less than 5 minutes left. */
const TOKEN_DUE = 6 * MINUTE;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Provider {
  /** The `roles` the provider's userinfo response carries (Entra's carries none). */
  userinfoRoles?: string[];
  /** Leave `userinfo_endpoint` out of the discovery document. */
  noUserinfo?: boolean;
}

/** The emulator, minus the ID token of every refresh response. */
function withoutRefreshIdToken(provider: Provider) {
  return (emulator: Emulator) => async (request: Request) => {
    const isRefresh =
      request.url.endsWith('/oauth2/v2.0/token') &&
      new URLSearchParams(await request.clone().text()).get('grant_type') === 'refresh_token';
    const response = await emulator.fetch(request);
    if (request.url.endsWith('/.well-known/openid-configuration') && provider.noUserinfo) {
      const { userinfo_endpoint: _dropped, ...metadata } = (await response.json()) as Record<string, unknown>;
      return Response.json(metadata);
    }
    if (request.url.includes('/oidc/userinfo') && response.ok && provider.userinfoRoles) {
      return Response.json({ ...((await response.json()) as object), roles: provider.userinfoRoles });
    }
    if (!isRefresh || !response.ok) return response;
    const { id_token: _dropped, ...body } = (await response.json()) as Record<string, unknown>;
    return Response.json(body);
  };
}

async function signedIn(provider: Provider) {
  harness = await createHarness({ providerFetch: withoutRefreshIdToken(provider) });
  harness.emulator.control.setAccessTokenLifetime(10 * 60);
  const browser = harness.newBrowser();
  const end = await harness.signIn(browser, 'adele@contoso.test');
  expect(end.url.href).toBe(`${APP_ORIGIN}/`);
  return { h: harness, browser, sessionId: browser.cookies(host)['__Host-gatehouse']! };
}

const warnings = (h: Harness) => h.logs.filter((line) => line.includes('returned no ID token on refresh'));

describe('role re-check when a refresh returns no ID token (role read from the ID token)', () => {
  it('reads the role from a fresh userinfo response: kept while it is there, the session ends once it is gone', async () => {
    const provider: Provider = { userinfoRoles: ['Gatehouse.User'] };
    const { h, browser, sessionId } = await signedIn(provider);

    h.advance(TOKEN_DUE);
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect(refreshGrants(h)).toBe(1);

    // The administrator removes the role; the provider's userinfo says so, the old ID token does not.
    provider.userinfoRoles = [];
    h.advance(TOKEN_DUE);
    const response = await h.api(browser, routes.session);
    expect(refreshGrants(h)).toBe(2);
    expect(response.status).toBe(403);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'role_required',
      reason: 'role_removed',
    });
    expect(await h.store.get(sessionId)).toBeUndefined();
    // Told once per session, although the session refreshed twice.
    expect(warnings(h)).toHaveLength(1);
    expect(warnings(h)[0]).toContain('userinfo');
  });

  it('ends the session (401 login_required, revoked) when the provider has no userinfo endpoint either', async () => {
    const { h, browser, sessionId } = await signedIn({ noUserinfo: true });
    h.advance(TOKEN_DUE);
    const response = await h.api(browser, routes.session);
    expect(refreshGrants(h)).toBe(1);
    expect(response.status).toBe(401);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'login_required',
      reason: 'revoked',
    });
    expect(await h.store.get(sessionId)).toBeUndefined();
    expect(warnings(h)).toHaveLength(1);
    expect(warnings(h)[0]).toContain('no userinfo endpoint');
  });
});
