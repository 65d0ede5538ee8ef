/**
 * AADSTS50105 at a refresh: the user was unassigned from the app ("Assignment required"). No
 * interaction can fix that, so it is treated as a lost role: the session ends with 403
 * role_required, reason role_removed — not kept as "interaction required" for ever.
 */
import { type ApiErrorBody, routes } from '@gatehouse/contracts';
import { contosoSeed, GATEHOUSE_CLIENT_ID, type Seed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The demo tenant with "Assignment required?" on for Gatehouse's app registration. */
const assignmentRequired: Seed = {
  ...contosoSeed,
  applications: contosoSeed.applications.map((app) =>
    app.clientId === GATEHOUSE_CLIENT_ID ? { ...app, appRoleAssignmentRequired: true } : app,
  ),
};

describe('a user unassigned from the app (AADSTS50105) at the next refresh', () => {
  it('loses the session: 403 role_required, reason role_removed, session deleted', async () => {
    // No role policy: only the provider's refusal can end this session.
    const h = await createHarness({ seed: assignmentRequired, env: { OPENID_REQUIRED_ROLE: '' } });
    harness = h;
    h.emulator.control.setAccessTokenLifetime(10 * 60);
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
    const sessionId = browser.cookies(new URL(APP_ORIGIN).host)['__Host-gatehouse']!;

    h.emulator.control.removeAppRole('adele', 'Gatehouse.User');
    h.advance(6 * 60_000);
    const response = await h.api(browser, routes.session);
    expect(response.status).toBe(403);
    expect((await response.json()) as ApiErrorBody).toMatchObject({
      error: 'role_required',
      reason: 'role_removed',
    });
    expect(response.headers.get('set-cookie')).toMatch(/__Host-gatehouse=;/);
    expect(await h.store.get(sessionId)).toBeUndefined();
    expect(h.logs.some((line) => line.includes('no longer assigned to the app'))).toBe(true);
  });
});
