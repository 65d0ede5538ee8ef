/**
 * Token reuse on, but the provider granted no refresh token (no `offline_access` consent, a provider
 * that does not issue them): once the sign-in's access token has expired, every route that needs a
 * token gives the same answer — 401 `login_required` `token_expired`, which sends the SPA to sign in.
 */
import { type ApiErrorBody, attachmentRoutes, routes, sharingRoutes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createHarness, type Harness } from './harness';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MINUTE = 60_000;
const host = new URL(APP_ORIGIN).host;
const MARKETING = '00000000-0000-4000-8000-000000000001';

describe('no refresh token granted, access token expired', () => {
  it('every route that needs a token answers 401 login_required token_expired', async () => {
    const h = await createHarness({
      // The provider hands out no refresh token.
      providerFetch: (emulator) => async (request) => {
        const response = await emulator.fetch(request);
        if (!request.url.includes('/oauth2/v2.0/token') || !response.ok) return response;
        const { refresh_token: _dropped, ...body } = (await response.json()) as Record<string, unknown>;
        return Response.json(body, { status: response.status, headers: response.headers });
      },
    });
    harness = h;
    h.emulator.control.setAccessTokenLifetime(10 * 60);
    const browser = h.newBrowser();
    expect((await h.signIn(browser, 'adele@contoso.test')).url.href).toBe(`${APP_ORIGIN}/`);
    const sessionId = browser.cookies(host)['__Host-gatehouse']!;
    expect((await h.store.get(sessionId))!.tokens.refreshToken).toBeUndefined();

    const created = await h.api(browser, sharingRoutes.conversations, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Plans' }),
    });
    const conversation = (await created.json()) as { id: string };
    const json = (body: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const tokenRoutes: [string, string, RequestInit?][] = [
      ['my photo', routes.mePhoto],
      ['people search', `${sharingRoutes.search}?q=meg&types=user,group`],
      ['a colleague’s photo', `/api/principals/entra/user/${MARKETING}/photo`],
      ['Entra group members', `/api/groups/entra/${MARKETING}/members`],
      ['the picker token', attachmentRoutes.sharepointToken, json({ resource: h.emulator.sharepointUrl })],
      [
        'attaching from SharePoint',
        attachmentRoutes.attachFromSharepoint.replace(':id', conversation.id),
        json({ items: [{ driveId: 'b!drive', itemId: '01ITEM' }] }),
      ],
      ['the SharePoint download proxy', '/api/sharepoint/drives/b!drive/items/01ITEM/content'],
    ];

    // While the sign-in's token is valid, a resource it never covered needs a sign-in that asks for
    // it (the session is kept); my photo is not asked for yet, so no cached copy hides the answer.
    const early = await h.api(
      browser,
      attachmentRoutes.sharepointToken,
      json({ resource: h.emulator.sharepointUrl }),
    );
    expect(early.status).toBe(401);
    expect(((await early.json()) as ApiErrorBody).error).toBe('interaction_required');

    h.advance(11 * MINUTE); // the access token (and the Graph token it doubles as) has expired
    for (const [name, path, init] of tokenRoutes) {
      const answer = await h.api(browser, path, init);
      const body = (await answer.json()) as ApiErrorBody;
      expect({ name, status: answer.status, error: body.error, reason: body.reason }).toEqual({
        name,
        status: 401,
        error: 'login_required',
        reason: 'token_expired',
      });
    }
    // Routes that need no provider token still work: the BFF's own session is valid.
    expect((await h.api(browser, routes.session)).status).toBe(200);
    expect((await h.api(browser, sharingRoutes.conversations)).status).toBe(200);
  });
});
