import { Hono } from 'hono';
import { readParams } from '../../http';
import { errors } from '../../oauth-error';
import type { AuthorizeKit } from '../authorize-kit';
import { currentSsoSession } from '../sso-cookie';

/**
 * The consent page's answer: "yes" records the user's consent for every requested scope and issues
 * the code; anything else goes back to the app as `access_denied` (AADSTS65004).
 */
export function createConsentRoutes(kit: AuthorizeKit) {
  const { ctx, pages, responses } = kit;
  const app = new Hono();
  app.post('/:tenant/consent', async (c) => {
    const form = await readParams(c);
    const interaction = ctx.ssoSessions.interaction(form.ctx, ctx.clock());
    const session = currentSsoSession(c, ctx.ssoSessions);
    if (!interaction || !session || interaction.userId !== session.userId) return pages.expired(c);
    const { request } = interaction;
    ctx.ssoSessions.finishInteraction(interaction.id);
    if (form.consent !== 'yes') return responses.error(c, request, errors.userDeclined());
    for (const { resource, scopes } of request.parsedScope.resources) {
      ctx.grants.addUserConsent(
        session.userId,
        request.clientId,
        resource.key,
        scopes.filter((s) => s !== '.default'),
      );
    }
    return responses.code(c, request, session);
  });
  return app;
}
