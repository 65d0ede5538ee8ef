import { Hono } from 'hono';
import { USER_TYPE } from './entity-types';
import type { GraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { graphErrors } from './graph-error';
import { graphCount, graphJson, readOnly } from './graph-http';
import { DIRECTORY_RULES, page, readCollectionQuery } from './odata';
import { USER_READ_ALL } from './permissions';
import { USER_DEFAULT_PROPERTIES, userObject } from './representations';

export interface UsersRoutesDeps {
  auth: GraphAuth;
  base: string;
}

/**
 * `/users`: the collection, its `$count`, and one user by id or UPN (`userRoutes`, shared with `/me`),
 * all in the caller's own organisation (`c.var.directory`).
 */
export function createUsersRoutes(deps: UsersRoutesDeps, userRoutes: Hono<GraphEnv>) {
  const { auth, base } = deps;
  const app = new Hono<GraphEnv>();

  app.all('/', (c) => {
    readOnly(c);
    auth.requireScope(c.var.principal, USER_READ_ALL);
    const query = readCollectionQuery(c, [USER_TYPE], DIRECTORY_RULES);
    const body = page(c, c.var.directory.users().map(userObject), query, {
      context: `${base}/$metadata#users${query.select ? `(${query.select.join(',')})` : ''}`,
      defaults: () => USER_DEFAULT_PROPERTIES,
    });
    return graphJson(c, body);
  });
  app.all('/$count', (c) => {
    readOnly(c);
    auth.requireScope(c.var.principal, USER_READ_ALL);
    return graphCount(c, c.var.directory.users().length);
  });

  app.use('/:user/*', async (c, next) => {
    const key = c.req.param('user');
    const user = c.var.directory.findUser(key);
    // Graph accepts an id or a UPN here, not a mail address or alias. Whether a user exists is
    // only told to a caller allowed to read users.
    if (
      !user ||
      (user.id.toLowerCase() !== key.toLowerCase() &&
        user.userPrincipalName.toLowerCase() !== key.toLowerCase())
    ) {
      auth.requireScope(c.var.principal, USER_READ_ALL);
      throw graphErrors.notFound(key);
    }
    c.set('target', { user, self: user.id === c.var.principal.user.id });
    await next();
  });
  app.route('/:user', userRoutes);
  return app;
}

/** `/me`: the signed-in user, through the same handlers as `/users/{id}`. */
export function createMeRoutes(userRoutes: Hono<GraphEnv>) {
  const app = new Hono<GraphEnv>();
  app.use('*', async (c, next) => {
    c.set('target', { user: c.var.principal.user, self: true });
    await next();
  });
  app.route('/', userRoutes);
  return app;
}
