import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { createGraphAuth } from '../graph/graph-auth';

/**
 * `/oidc/userinfo`, on the Graph side as in Entra (`https://graph.microsoft.com/oidc/userinfo`): it takes
 * a Graph access token and answers with the `sub` of the app that holds the token.
 */
export function createUserinfoRoutes(ctx: EmulatorContext) {
  const app = new Hono();
  const auth = createGraphAuth(ctx);
  const handler = auth.handler(['openid', 'profile', 'email', 'User.Read'], async (c, principal) => {
    const { user, appId } = principal;
    return c.json({
      sub: ctx.tokens.subject(user.id, appId),
      name: user.displayName,
      family_name: user.surname,
      given_name: user.givenName,
      picture: `${ctx.baseUrl}/v1.0/me/photo/$value`,
      ...(user.mail ? { email: user.mail } : {}),
    });
  });
  app.get('/oidc/userinfo', handler);
  app.post('/oidc/userinfo', handler);
  return app;
}
