/**
 * The picker's token endpoint against the emulator: a SharePoint-audience token for the configured
 * site only, never for Graph or any other host, never signed out, cached on the session with its
 * real remaining lifetime.
 */
import {
  attachmentRoutes,
  type SharepointTokenResponse,
  sharepointTokenResponseSchema,
} from '@gatehouse/contracts';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from './browser';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions, refreshGrants } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const MINUTE = 60_000;

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

async function start(options: HarnessOptions = {}) {
  harness = await createHarness(options);
  harness.emulator.control.setAccessTokenLifetime(60 * 60);
  return harness;
}

async function signedIn(alias: string): Promise<Browser> {
  const browser = harness.newBrowser();
  const end = await harness.signIn(browser, `${alias}@contoso.test`);
  expect(end.url.href).toBe(`${APP_ORIGIN}/`);
  return browser;
}

const askToken = (browser: Browser, body: unknown) =>
  harness.api(browser, attachmentRoutes.sharepointToken, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const refreshes = () => refreshGrants(harness);

describe('POST /api/sharepoint/token', () => {
  it('gives a signed-in user a SharePoint-audience token for the configured site, cached with its real expiry', async () => {
    await start();
    const adele = await signedIn('adele');
    const site = harness.emulator.sharepointUrl;
    const before = refreshes();

    const first = await askToken(adele, { resource: site });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const token = sharepointTokenResponseSchema.parse(await first.json());
    const claims = decodeJwt(token.accessToken);
    expect(claims.aud).toBe(site);
    expect(String(claims.scp).split(' ')).toEqual(['AllSites.Read']);
    // expires_in on the BFF's clock (the emulator's runs apart by the test's few milliseconds).
    expect(Math.abs(Date.parse(token.expiresOn) - (claims.exp as number) * 1000)).toBeLessThan(5000);
    expect(refreshes()).toBe(before + 1);

    // Twenty minutes later (the session kept alive meanwhile) the same token with what is left of its
    // lifetime, and no new refresh.
    for (const resource of [site, `${site}/`]) {
      harness.advance(10 * MINUTE);
      const again = (await (await askToken(adele, { resource })).json()) as SharepointTokenResponse;
      expect(again).toEqual(token);
    }
    expect(refreshes()).toBe(before + 1);

    // Under five minutes left: a fresh one.
    for (let minutes = 20; minutes < 56; minutes += 12) {
      harness.advance(12 * MINUTE);
      expect((await harness.api(adele, '/api/auth/session')).status).toBe(200);
    }
    const renewed = (await (await askToken(adele, { resource: site })).json()) as SharepointTokenResponse;
    expect(renewed.accessToken).not.toBe(token.accessToken);
    expect(Date.parse(renewed.expiresOn)).toBeGreaterThan(Date.parse(token.expiresOn));
  });

  it.each([
    'https://graph.microsoft.com',
    'http://localhost:3090',
    'http://127.0.0.1:3091/sites/marketing',
    'https://127.0.0.1:3091',
    'http://127.0.0.1:3092',
    'https://contoso-my.sharepoint.com',
  ])('refuses %s with 400 resource_not_allowed and asks the provider for nothing', async (resource) => {
    await start();
    const adele = await signedIn('adele');
    const before = refreshes();
    const response = await askToken(adele, { resource });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'resource_not_allowed',
      message: expect.stringContaining(harness.emulator.sharepointUrl),
    });
    expect(refreshes()).toBe(before);
  });

  it('names the field of a malformed body', async () => {
    await start();
    const adele = await signedIn('adele');
    for (const body of ['not json', {}, { resource: 42 }]) {
      const response = await askToken(adele, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(/body/),
      });
    }
  });

  it('refuses a signed-out caller with 401 login_required', async () => {
    await start();
    const stranger = harness.newBrowser();
    const response = await askToken(stranger, { resource: harness.emulator.sharepointUrl });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'login_required' });
  });

  it('answers 404 feature_disabled when the picker is off', async () => {
    await start({ env: { ENABLE_SHAREPOINT_FILEPICKER: 'false' } });
    const adele = await signedIn('adele');
    const response = await askToken(adele, { resource: harness.emulator.sharepointUrl });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'feature_disabled' });
  });
});
