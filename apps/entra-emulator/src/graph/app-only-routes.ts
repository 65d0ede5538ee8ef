import type { Context } from 'hono';
import type { Directory } from '../directory/directory';
import { GROUP_TYPE } from './entity-types';
import type { GraphAppPrincipal } from './graph-auth';
import { GraphError, graphErrors } from './graph-error';
import { graphJson, readOnly } from './graph-http';
import { DIRECTORY_RULES, page, readCollectionQuery, readSelect, shape } from './odata';
import { GROUP_DEFAULT_PROPERTIES, groupObject } from './representations';

/** Application permissions that allow reading groups (any one of them is enough). */
const APP_GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
].map((p) => p.toLowerCase());

/**
 * What an app-only token (client credentials) may read here: `/groups` (with `$filter`, e.g.
 * `displayName eq 'Marketing'`) and one group by id, with an application permission that reads
 * groups. `/me` has no meaning without a user (Graph answers 400); anything else is refused.
 */
export function answerAppOnly(
  c: Context,
  app: GraphAppPrincipal,
  deps: { directory: Directory; base: string },
): Response {
  const path = new URL(c.req.url).pathname.replace(/^\/v1\.0/, '').replace(/\/$/, '');
  if (path === '/me' || path.startsWith('/me/')) {
    throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  }
  const group = /^\/groups(?:\/([^/]+))?$/.exec(path);
  if (!group) throw graphErrors.denied();
  readOnly(c);
  if (!APP_GROUP_READ.some((permission) => app.roles.has(permission))) throw graphErrors.denied();

  const id = group[1];
  if (id === undefined) {
    const query = readCollectionQuery(c, [GROUP_TYPE], DIRECTORY_RULES);
    return graphJson(
      c,
      page(c, deps.directory.groups().map(groupObject), query, {
        context: `${deps.base}/$metadata#groups${query.select ? `(${query.select.join(',')})` : ''}`,
        defaults: () => GROUP_DEFAULT_PROPERTIES,
      }),
    );
  }
  const found = deps.directory.findGroup(id);
  if (!found || found.id.toLowerCase() !== id.toLowerCase()) throw graphErrors.notFound(id);
  const select = readSelect(c, GROUP_TYPE);
  return graphJson(c, {
    '@odata.context': `${deps.base}/$metadata#groups${select ? `(${select.join(',')})` : ''}/$entity`,
    ...shape(groupObject(found), select, { defaults: () => GROUP_DEFAULT_PROPERTIES }),
  });
}
