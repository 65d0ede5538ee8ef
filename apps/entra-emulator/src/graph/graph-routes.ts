import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { createGraphAuth } from './graph-auth';
import { GRAPH_JSON } from './graph-error';

/** Microsoft Graph v1.0, directory part. */
export function createGraphRoutes(ctx: EmulatorContext) {
  const app = new Hono();
  const auth = createGraphAuth(ctx);
  app.get(
    '/me',
    auth.handler(
      ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
      (c, { user }) => {
        c.header('Content-Type', GRAPH_JSON);
        return c.json({
          '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`,
          id: user.id,
          displayName: user.displayName,
          userPrincipalName: user.userPrincipalName,
          mail: user.mail ?? null,
        });
      },
    ),
  );
  return app;
}
