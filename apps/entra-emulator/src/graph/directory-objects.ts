import { type Context, Hono } from 'hono';
import type { SeedGroup, SeedUser } from '../seed/types';
import { GROUP_TYPE, USER_TYPE } from './entity-types';
import type { GraphEnv } from './graph-env';
import { graphErrors } from './graph-error';
import { graphCount, graphJson, readOnly } from './graph-http';
import { DIRECTORY_RULES, page, readCollectionQuery } from './odata';
import { USER_READ_ALL } from './permissions';
import {
  GROUP_DEFAULT_PROPERTIES,
  type GraphObject,
  groupObject,
  isUser,
  USER_DEFAULT_PROPERTIES,
  userObject,
} from './representations';

type DirectoryObject = SeedUser | SeedGroup;
type Cast = 'user' | 'group';

/** OData type casts on a directoryObject collection: `…/members/microsoft.graph.user`. */
const CASTS: Record<string, Cast> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
};

/**
 * A directoryObject collection (`members`, `memberOf`, …) as a sub-app to mount at its path: the
 * collection, its `$count`, and both again after an OData cast. `objectsOf` runs first and may refuse
 * (a permission check), then the method is checked, as Graph does.
 */
export function createDirectoryObjectRoutes(
  objectsOf: (c: Context<GraphEnv>) => DirectoryObject[],
  options: { base: string },
) {
  const app = new Hono<GraphEnv>();
  const castOf = (c: Context<GraphEnv>): Cast => {
    const segment = c.req.param('cast') ?? '';
    const cast = CASTS[segment];
    if (!cast) throw graphErrors.noRoute(segment);
    return cast;
  };
  const read = (c: Context<GraphEnv>) => {
    const objects = objectsOf(c);
    readOnly(c);
    return objects;
  };

  app.all('/', (c) => list(c, read(c), undefined, options.base));
  app.all('/$count', (c) => graphCount(c, read(c).length));
  app.all('/:cast', (c) => {
    const objects = read(c);
    return list(c, objects, castOf(c), options.base);
  });
  app.all('/:cast/$count', (c) => {
    const objects = read(c);
    return graphCount(c, ofType(objects, castOf(c)).length);
  });
  return app;
}

function ofType(objects: DirectoryObject[], cast: Cast | undefined): DirectoryObject[] {
  if (!cast) return objects;
  return objects.filter((o) => (cast === 'user' ? isUser(o) : !isUser(o)));
}

function list(c: Context<GraphEnv>, objects: DirectoryObject[], cast: Cast | undefined, base: string) {
  const principal = c.var.principal;
  const entitySet = cast === 'user' ? 'users' : cast === 'group' ? 'groups' : 'directoryObjects';
  // Without a permission to read users, member users come back with their id only (Graph's "limited information").
  const seesUsers =
    USER_READ_ALL.some((s) => principal.scopes.has(s.toLowerCase())) || principal.scopes.has('user.read.all');
  const types = cast === 'user' ? [USER_TYPE] : cast === 'group' ? [GROUP_TYPE] : [USER_TYPE, GROUP_TYPE];
  const query = readCollectionQuery(c, types, DIRECTORY_RULES);
  const graphObjects = ofType(objects, cast).map((o) =>
    isUser(o) ? (seesUsers ? userObject(o) : limited(userObject(o))) : groupObject(o),
  );
  const body = page(c, graphObjects, query, {
    context: `${base}/$metadata#${entitySet}${query.select ? `(${query.select.join(',')})` : ''}`,
    defaults: (o) => ('userPrincipalName' in o ? USER_DEFAULT_PROPERTIES : GROUP_DEFAULT_PROPERTIES),
    typed: (o) => ('userPrincipalName' in o ? '#microsoft.graph.user' : '#microsoft.graph.group'),
  });
  return graphJson(c, body);
}

function limited(user: GraphObject): GraphObject {
  return Object.fromEntries(Object.keys(user).map((k) => [k, k === 'id' ? user.id : null]));
}
