import { Hono } from 'hono';
import type { Directory } from '../directory/directory';
import { createDirectoryObjectRoutes } from './directory-objects';
import { GROUP_TYPE } from './entity-types';
import type { GraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { graphErrors } from './graph-error';
import { graphCount, graphJson, imageNotFound, readOnly } from './graph-http';
import { DIRECTORY_RULES, page, readCollectionQuery, readSelect, shape } from './odata';
import { GROUP_READ } from './permissions';
import { GROUP_DEFAULT_PROPERTIES, groupObject } from './representations';

export interface GroupsRoutesDeps {
  directory: Directory;
  auth: GraphAuth;
  base: string;
}

/** `/groups`: the collection, its `$count`, and one group by id with its members and owners (the caller's organisation's). */
export function createGroupsRoutes(deps: GroupsRoutesDeps) {
  const { directory, auth, base } = deps;
  const app = new Hono<GraphEnv>();

  app.all('/', (c) => {
    readOnly(c);
    auth.requireScope(c.var.principal, GROUP_READ);
    const query = readCollectionQuery(c, [GROUP_TYPE], DIRECTORY_RULES);
    const body = page(c, c.var.directory.groups().map(groupObject), query, {
      context: `${base}/$metadata#groups${query.select ? `(${query.select.join(',')})` : ''}`,
      defaults: () => GROUP_DEFAULT_PROPERTIES,
    });
    return graphJson(c, body);
  });
  app.all('/$count', (c) => {
    readOnly(c);
    auth.requireScope(c.var.principal, GROUP_READ);
    return graphCount(c, c.var.directory.groups().length);
  });

  app.use('/:group/*', async (c, next) => {
    auth.requireScope(c.var.principal, GROUP_READ);
    const id = c.req.param('group');
    const group = c.var.directory.findGroup(id);
    // By id only: Graph does not look groups up by name or mail.
    if (!group || group.id.toLowerCase() !== id.toLowerCase()) throw graphErrors.notFound(id);
    c.set('group', group);
    await next();
  });
  app.route('/:group', createGroupRoutes({ directory, base }));
  return app;
}

/** One group, named by `c.var.group`. */
function createGroupRoutes(deps: { directory: Directory; base: string }) {
  const { directory, base } = deps;
  const app = new Hono<GraphEnv>();

  app.all('/', (c) => {
    readOnly(c);
    const select = readSelect(c, GROUP_TYPE);
    return graphJson(c, {
      '@odata.context': `${base}/$metadata#groups${select ? `(${select.join(',')})` : ''}/$entity`,
      ...shape(groupObject(c.var.group), select, { defaults: () => GROUP_DEFAULT_PROPERTIES }),
    });
  });

  const collections = {
    members: (id: string) => directory.members(id),
    transitiveMembers: (id: string) => directory.transitiveMembers(id),
    owners: (id: string) => directory.owners(id),
  };
  for (const [path, objectsOf] of Object.entries(collections)) {
    app.route(
      `/${path}`,
      createDirectoryObjectRoutes((c) => objectsOf(c.var.group.id), { base }),
    );
  }

  // The emulator's groups have no photo, whatever is asked of it.
  app.all('/photo/*', () => {
    throw imageNotFound();
  });
  app.all('/:segment/*', (c) => {
    throw graphErrors.noRoute(c.req.param('segment'));
  });
  return app;
}
