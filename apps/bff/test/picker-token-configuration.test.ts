/**
 * Issue 10's leftover: the tenant does not know the SharePoint resource (AADSTS500011,
 * `invalid_resource`) — a wrong SHAREPOINT_BASE_URL or SHAREPOINT_PICKER_SHAREPOINT_SCOPE. The picker
 * token answers a configuration error naming both, logged once per process; nothing else suffers.
 */
import { type ApiErrorBody, attachmentRoutes, routes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('POST /api/sharepoint/token when the tenant has no such SharePoint resource', () => {
  it('answers 500 configuration_error naming SHAREPOINT_BASE_URL and SHAREPOINT_PICKER_SHAREPOINT_SCOPE, logged once', async () => {
    const h = await createHarness();
    harness = h;
    const site = h.emulator.sharepointUrl.replace(/\/$/, '');
    h.emulator.control.fault({ route: 'token', unknownResource: site });
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
    const ask = () =>
      h.api(browser, attachmentRoutes.sharepointToken, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resource: site }),
      });

    for (let i = 0; i < 3; i += 1) {
      const answer = await ask();
      expect(answer.status).toBe(500);
      expect(answer.headers.get('retry-after')).toBeNull();
      const body = (await answer.json()) as ApiErrorBody;
      expect(body.error).toBe('configuration_error');
      expect(body.resource).toBe(site);
      expect(body.message).toContain('AADSTS500011');
      expect(body.message).toContain('SHAREPOINT_BASE_URL');
      expect(body.message).toContain('SHAREPOINT_PICKER_SHAREPOINT_SCOPE');
    }
    const logged = h.logs.filter((line) => line.includes('picker token refused'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 50, resource: site, aadsts: [500011] });

    // Not an outage: no back-off, the session and its Graph token still serve.
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect([200, 404]).toContain((await h.api(browser, routes.mePhoto)).status);
  });
});
