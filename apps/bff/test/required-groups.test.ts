/**
 * Required groups named by display name (`OPENID_REQUIRED_ROLE=Marketing` read from Entra's
 * `groups` claim, which holds object ids), against the emulator: names are resolved once with the
 * app's own credentials, nested groups count, groups overage is checked for the required groups
 * only, a refused user's access-denied page learns the group names from the BFF (never from the
 * URL), and an unknown or ambiguous name is refused with the candidates.
 */
import { type AccessDeniedResponse, routes, type SessionResponse } from '@gatehouse/contracts';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequiredGroupsError } from '../src/auth/required-groups';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const groupId = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!.id;

async function start(required: string, options: HarnessOptions = {}) {
  harness = await createHarness({
    ...options,
    env: {
      OPENID_REQUIRED_ROLE: required,
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
      ...options.env,
    },
  });
  return harness;
}

async function signInAs(h: Harness, user: string) {
  const browser = h.newBrowser();
  const end = await h.signIn(browser, user);
  return { browser, end };
}

async function sessionRoles(h: Harness, browser: ReturnType<Harness['newBrowser']>) {
  const response = await h.api(browser, routes.session);
  expect(response.status).toBe(200);
  return ((await response.json()) as SessionResponse).user.roles;
}

async function deniedGroups(h: Harness, browser: ReturnType<Harness['newBrowser']>) {
  const response = await h.api(browser, routes.accessDenied);
  expect(response.status).toBe(200);
  return ((await response.json()) as AccessDeniedResponse).requiredGroups;
}

const clientCredentialGrants = (h: Harness) =>
  h.emulator.control.counters().token.client_credentials?.[h.config.OPENID_CLIENT_ID] ?? 0;

describe('required groups by display name', () => {
  it('admits a member of the named group, resolving the name once for every sign-in', async () => {
    const h = await start('Marketing');
    expect(await h.deps.requiredGroups.resolve()).toEqual([
      { configured: 'Marketing', id: groupId('marketing'), name: 'Marketing' },
    ]);
    const adele = await signInAs(h, 'adele@contoso.test');
    expect(adele.end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(await sessionRoles(h, adele.browser)).toEqual(['Marketing']);
    const delia = await signInAs(h, 'delia@contoso.test');
    expect(delia.end.url.href).toBe(`${APP_ORIGIN}/`);
    // One app-only token at start, none per sign-in.
    expect(clientCredentialGrants(h)).toBe(1);
  });

  it('admits a member of a nested group (Johanna is in Marketing EU, which is in Marketing)', async () => {
    const h = await start('Marketing');
    const johanna = await signInAs(h, 'johanna@contoso.test');
    expect(johanna.end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(await sessionRoles(h, johanna.browser)).toEqual(['Marketing']);
  });

  it('ends the session at the next refresh when the user leaves the group (nested membership removed)', async () => {
    const h = await start('Marketing');
    h.emulator.control.setAccessTokenLifetime(10 * 60);
    const johanna = await signInAs(h, 'johanna@contoso.test');
    expect(await sessionRoles(h, johanna.browser)).toEqual(['Marketing']);
    h.emulator.control.removeFromGroup('johanna', 'marketing-eu');
    h.advance(11 * 60_000); // the access token has expired: the refresh checks the groups again
    const response = await h.api(johanna.browser, routes.session);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: 'role_required',
      reason: 'role_removed',
      requiredRoles: ['Marketing'],
    });
  });

  it('refuses a non-member; the access-denied page learns the group names from the BFF, not the URL', async () => {
    const h = await start(`Marketing EU,${groupId('engineering')}`);
    const alex = await signInAs(h, 'alex@contoso.test');
    expect(alex.end.url.href).toBe(`${APP_ORIGIN}/access-denied`);
    expect(alex.end.url.search).toBe('');
    // The id written in the configuration is shown by its display name too.
    expect(await deniedGroups(h, alex.browser)).toEqual(['Marketing EU', 'Engineering']);
    expect((await h.api(alex.browser, routes.session)).status).toBe(401);
    const cookie = alex.browser.cookieDetails(new URL(APP_ORIGIN).host, '__Host-gatehouse-denied');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });

    // A browser that was not refused (or a crafted link) gets nothing to show.
    expect(await deniedGroups(h, h.newBrowser())).toEqual([]);
    const forged = h.newBrowser();
    forged.setCookie(new URL(APP_ORIGIN).host, '__Host-gatehouse-denied', 'not-base64-json');
    expect(await deniedGroups(h, forged)).toEqual([]);
  });

  it('checks groups overage for the required groups only (checkMemberGroups, never all 250 groups)', async () => {
    const h = await start('Project 007');
    const megan = await signInAs(h, 'megan@contoso.test');
    expect(megan.end.url.href).toBe(`${APP_ORIGIN}/`);
    expect(await sessionRoles(h, megan.browser)).toEqual(['Project 007']);
    const graph = h.emulator.control.counters().graph;
    expect(graph['/v1.0/me/checkMemberGroups']).toBe(1);
    expect(graph['/v1.0/me/getMemberObjects']).toBeUndefined();
    expect(graph['/v1.0/me/getMemberGroups'] ?? 0).toBeLessThanOrEqual(1); // sharing's own membership

    // Megan owns Marketing EU but is not a member: overage, checked, refused.
    await h.close();
    const h2 = await start('Marketing EU');
    const refused = await signInAs(h2, 'megan@contoso.test');
    expect(refused.end.url.pathname).toBe('/access-denied');
    expect(await deniedGroups(h2, refused.browser)).toEqual(['Marketing EU']);
  });

  it('refuses an ambiguous name at start, naming every candidate with its id; sign-ins are refused too', async () => {
    const h = await start('Marketing,Support');
    const failure = await h.deps.requiredGroups.resolve().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RequiredGroupsError);
    const message = (failure as Error).message;
    expect(message).toContain('"Support" is the display name of 2 groups');
    expect(message).toContain(groupId('support-emea'));
    expect(message).toContain(groupId('support-americas'));
    expect(message).toContain('Support engineers, the Americas');
    expect(message).toMatch(/Write the Object ID/);
    expect(message).not.toContain('"Marketing"');

    const adele = await signInAs(h, 'adele@contoso.test');
    expect(adele.end.url.pathname).toBe('/sign-in-error');
    expect((await h.api(adele.browser, routes.session)).status).toBe(401);
  });

  it('refuses an unknown name at start, suggesting groups with a similar name', async () => {
    const h = await start('Marketting Team');
    const failure = await h.deps.requiredGroups.resolve().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RequiredGroupsError);
    expect((failure as Error).message).toContain('no group is named "Marketting Team"');
    await h.close();

    const near = await start('Marketing Europe');
    const suggestion = await near.deps.requiredGroups.resolve().catch((err: unknown) => err);
    expect((suggestion as Error).message).toMatch(
      /groups whose names start with "Marketing": Marketing \(id [0-9a-f-]{36}.*Marketing EU \(id/,
    );
  });

  it('without the Graph application permission, does not guess: sign-ins fail closed and resolving is tried again', async () => {
    const app = contosoSeed.applications[0]!;
    const h = await start('Marketing', {
      seed: { ...contosoSeed, applications: [{ ...app, applicationPermissions: {} }] },
    });
    const failure = await h.deps.requiredGroups.resolve().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(RequiredGroupsError);
    const adele = await signInAs(h, 'adele@contoso.test');
    expect(adele.end.url.pathname).toBe('/sign-in-error');
    // An outage is not remembered: the sign-in asked again.
    expect(clientCredentialGrants(h)).toBe(2);
  });
});
