import { Hono } from 'hono';
import type { Directory } from '../directory/directory';
import type { GraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { GraphError, graphErrors } from './graph-error';
import { graphJson, postOnly, readJsonObject } from './graph-http';
import { membershipReadScopes } from './permissions';

/** Graph's limit for `getMemberGroups`/`getMemberObjects`; above it, callers must page `transitiveMemberOf`. */
const MEMBER_OBJECTS_LIMIT = 11000;
/** `checkMemberGroups`/`checkMemberObjects` take at most this many ids. */
const CHECK_IDS_LIMIT = 20;

/**
 * The membership actions of a user (`POST …/getMemberGroups`, `getMemberObjects`,
 * `checkMemberGroups`, `checkMemberObjects`), over transitive membership, as Graph answers them.
 */
export function createMemberCheckRoutes(deps: { directory: Directory; auth: GraphAuth; base: string }) {
  const { directory, auth, base } = deps;
  const app = new Hono<GraphEnv>();

  for (const action of ['getMemberGroups', 'getMemberObjects'] as const) {
    app.all(`/${action}`, async (c) => {
      postOnly(c, action);
      const { user, self } = c.var.target;
      auth.requireScope(c.var.principal, membershipReadScopes(self, false));
      const body = await readJsonObject(c);
      if (typeof body.securityEnabledOnly !== 'boolean') {
        throw graphErrors.requestBadRequest(
          "The request body must contain 'securityEnabledOnly' (true or false).",
        );
      }
      let groups = directory.transitiveMemberOf(user.id);
      if (body.securityEnabledOnly) groups = groups.filter((g) => g.securityEnabled);
      if (groups.length > MEMBER_OBJECTS_LIMIT) {
        throw new GraphError(
          400,
          'Directory_ResultSizeLimitExceeded',
          'Request exceeds the 11000 objects limit; use transitiveMemberOf.',
        );
      }
      return graphJson(c, {
        '@odata.context': `${base}/$metadata#Collection(Edm.String)`,
        value: groups.map((g) => g.id),
      });
    });
  }

  for (const [action, field] of [
    ['checkMemberGroups', 'groupIds'],
    ['checkMemberObjects', 'ids'],
  ] as const) {
    app.all(`/${action}`, async (c) => {
      postOnly(c, action);
      const { user, self } = c.var.target;
      auth.requireScope(c.var.principal, membershipReadScopes(self, false));
      const body = await readJsonObject(c);
      const ids = body[field];
      if (!Array.isArray(ids) || ids.length > CHECK_IDS_LIMIT || ids.some((id) => typeof id !== 'string')) {
        throw graphErrors.requestBadRequest(`The request body must contain '${field}': up to 20 ids.`);
      }
      const mine = new Set(directory.transitiveMemberOf(user.id).map((g) => g.id.toLowerCase()));
      return graphJson(c, {
        '@odata.context': `${base}/$metadata#Collection(Edm.String)`,
        value: (ids as string[]).filter((id) => mine.has(id.toLowerCase())),
      });
    });
  }
  return app;
}
