import { Hono } from 'hono';
import { readParams } from '../../http';
import type { AuthorizeKit } from '../authorize-kit';
import { currentSsoSession } from '../sso-cookie';

/** The account picker (`prompt=select_account`): continue as the SSO session's user, or sign in anew. */
export function createSelectAccountRoutes(kit: AuthorizeKit) {
  const { ctx, pages, proceed } = kit;
  const app = new Hono();
  app.post('/:tenant/select-account', async (c) => {
    const form = await readParams(c);
    const interaction = ctx.ssoSessions.interaction(form.ctx, ctx.clock());
    if (!interaction) return pages.expired(c);
    const session = currentSsoSession(c, ctx.ssoSessions);
    const user = session ? ctx.directory.findUser(session.userId) : undefined;
    if (form.choice === 'current' && session && user) {
      interaction.userId = user.id;
      interaction.authTime = session.authTime;
      return proceed(c, interaction, session);
    }
    return pages.signIn(c, interaction, { username: '', step: 'credentials' });
  });
  return app;
}
