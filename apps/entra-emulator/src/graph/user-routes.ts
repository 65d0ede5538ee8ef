import { type Context, Hono } from 'hono';
import type { Directory } from '../directory/directory';
import type { SeedUser } from '../seed/types';
import { createDirectoryObjectRoutes } from './directory-objects';
import { PERSON_TYPE, USER_TYPE } from './entity-types';
import type { GraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { graphErrors } from './graph-error';
import { graphJson, imageNotFound, readOnly } from './graph-http';
import { createMemberCheckRoutes } from './member-checks';
import { graphLink, page, readCollectionQuery, readSelect, shape } from './odata';
import { PERSON_PROPERTIES, peopleFor } from './people';
import { membershipReadScopes, PEOPLE_READ, userReadScopes } from './permissions';
import { PHOTO_SIZE } from './photo';
import { USER_DEFAULT_PROPERTIES, userObject } from './representations';

export interface UserRoutesDeps {
  directory: Directory;
  auth: GraphAuth;
  photoOf: (user: SeedUser) => Buffer | undefined;
  /** `${baseUrl}/v1.0`, for `@odata.context` and links. */
  base: string;
}

/**
 * One user, whoever `c.var.target` names: mounted at `/me` and at `/users/{id|upn}`, so both paths
 * share every handler. Only the permissions differ, by `target.self`.
 */
export function createUserRoutes(deps: UserRoutesDeps) {
  const { directory, auth, photoOf, base } = deps;
  const app = new Hono<GraphEnv>();

  app.all('/', (c) => {
    readOnly(c);
    const { user, self } = c.var.target;
    auth.requireScope(c.var.principal, userReadScopes(self));
    const select = readSelect(c, USER_TYPE);
    return graphJson(c, {
      '@odata.context': `${base}/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
      ...shape(userObject(user), select, { defaults: () => USER_DEFAULT_PROPERTIES }),
    });
  });

  /** The photo, or 404 ImageNotFound before anything else is checked (as Graph orders it). */
  const photo = (c: Context<GraphEnv>) => {
    const { user, self } = c.var.target;
    auth.requireScope(c.var.principal, userReadScopes(self));
    const png = photoOf(user);
    if (!png) throw imageNotFound();
    readOnly(c);
    return { user, png };
  };
  app.all('/photo', (c) => {
    const { user, png } = photo(c);
    return graphJson(c, {
      '@odata.context': `${base}/$metadata#users('${user.id}')/photo/$entity`,
      '@odata.mediaContentType': 'image/png',
      '@odata.mediaEtag': `W/"${png.length.toString(16)}${user.id.slice(0, 8)}"`,
      id: `${PHOTO_SIZE}X${PHOTO_SIZE}`,
      height: PHOTO_SIZE,
      width: PHOTO_SIZE,
    });
  });
  app.all('/photo/$value', (c) => {
    const { png } = photo(c);
    return c.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      'Content-Length': String(png.length),
    });
  });

  const memberships = {
    memberOf: (user: SeedUser) => directory.memberOf(user.id),
    transitiveMemberOf: (user: SeedUser) => directory.transitiveMemberOf(user.id),
    ownedObjects: (user: SeedUser) => directory.ownedGroups(user.id),
  };
  for (const [path, groupsOf] of Object.entries(memberships)) {
    const routes = createDirectoryObjectRoutes(
      (c) => {
        const { user, self } = c.var.target;
        auth.requireScope(c.var.principal, membershipReadScopes(self, true));
        return groupsOf(user);
      },
      { base },
    );
    app.route(`/${path}`, routes);
  }
  app.route('/', createMemberCheckRoutes({ directory, auth, base }));

  app.all('/people', (c) => {
    const { user, self } = c.var.target;
    // Graph serves people only for the signed-in user.
    if (!self) throw graphErrors.noRoute('people');
    auth.requireScope(c.var.principal, PEOPLE_READ);
    readOnly(c);
    const query = readCollectionQuery(c, [PERSON_TYPE], {
      defaultPageSize: 10,
      maxPageSize: 1000,
      people: true,
    });
    const body = page(c, peopleFor(c.var.directory, user), query, {
      context: `${base}/$metadata#users('${encodeURIComponent(user.id)}')/people`,
      defaults: () => PERSON_PROPERTIES,
    });
    // People results are relevance-ranked: with $search there is no next page, as in Graph.
    if (query.search) delete body['@odata.nextLink'];
    else if (body['@odata.nextLink']) {
      const next = new URL(String(body['@odata.nextLink']));
      next.searchParams.delete('$skiptoken');
      next.searchParams.set('$skip', String(query.skip + query.top));
      body['@odata.nextLink'] = graphLink(next);
    }
    return graphJson(c, body);
  });

  app.all('/:segment/*', (c) => {
    throw graphErrors.noRoute(c.req.param('segment'));
  });
  return app;
}
