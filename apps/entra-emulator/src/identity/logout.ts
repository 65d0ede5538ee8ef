import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context';
import type { SeedApplication } from '../seed/types';
import { htmlPage, originOf, readParams } from './http';
import { signedOutPage } from './sign-in/pages';
import { SSO_COOKIE, type SsoSession } from './sso-session-store';

/**
 * `/{tenant}/oauth2/v2.0/logout` (end session): ends the emulator's SSO session, calls each signed-in
 * app's front-channel logout URL with `?sid=` (hidden iframes), then goes to `post_logout_redirect_uri`
 * if it is one of the app's registered URIs — otherwise, as Entra does, stays on the signed-out page.
 */
export function createLogoutRoutes(ctx: EmulatorContext) {
  const app = new Hono();

  const logout = async (c: Context) => {
    const params = await readParams(c);
    const hinted = await hintedApp(params.id_token_hint);
    const client = hinted?.app ?? (params.client_id ? ctx.directory.findApp(params.client_id) : undefined);

    // The browser's own SSO session is the one to end; hints only name the app (and account) signing out.
    const session: SsoSession | undefined = ctx.ssoSessions.byCookie(getCookie(c, SSO_COOKIE));
    const frontChannelUrls: string[] = [];
    if (session) {
      for (const clientId of session.clients) {
        const registered = ctx.directory.findApp(clientId)?.frontChannelLogoutUrl;
        if (!registered) continue;
        const url = new URL(registered);
        url.searchParams.set('sid', session.id);
        frontChannelUrls.push(url.toString());
      }
      ctx.ssoSessions.end(session);
    }
    deleteCookie(c, SSO_COOKIE, { path: '/' });

    const requested = params.post_logout_redirect_uri;
    // The app is named by id_token_hint or client_id; with only a logout_hint, any app of the session.
    const candidates = client
      ? [client]
      : [...(session?.clients ?? [])].flatMap((id) => ctx.directory.findApp(id) ?? []);
    let redirectTo: string | undefined;
    if (requested && candidates.some((app) => isRegistered(app, requested))) {
      const target = new URL(requested);
      if (params.state !== undefined) target.searchParams.set('state', params.state);
      redirectTo = target.toString();
    }
    return htmlPage(
      c,
      (nonce) =>
        signedOutPage({ nonce, tenantName: ctx.directory.tenant.displayName, frontChannelUrls, redirectTo }),
      { frameSources: [...new Set(frontChannelUrls.map((u) => originOf(u)!))] },
    );
  };
  app.get('/:tenant/oauth2/v2.0/logout', logout);
  app.post('/:tenant/oauth2/v2.0/logout', logout);

  /** The app and session named by an ID token this emulator signed; an expired one is still a valid hint. */
  async function hintedApp(hint: string | undefined): Promise<{ app: SeedApplication } | undefined> {
    if (!hint) return undefined;
    try {
      const { kid } = decodeProtectedHeader(hint);
      const key = kid ? ctx.keys.find(kid) : undefined;
      if (!key) return undefined;
      const claims = decodeJwt(hint);
      await jwtVerify(hint, key.publicKey, {
        issuer: ctx.directory.tenants().map((t) => ctx.tokens.issuer(t.id)),
        // Accept an expired hint: the user may sign out long after the ID token expired.
        currentDate: new Date(((claims.iat ?? 0) + 1) * 1000),
      });
      const app = typeof claims.aud === 'string' ? ctx.directory.findApp(claims.aud) : undefined;
      if (!app) return undefined;
      return { app };
    } catch {
      return undefined;
    }
  }

  return app;
}

function isRegistered(app: SeedApplication, uri: string): boolean {
  return app.redirectUris.includes(uri);
}
