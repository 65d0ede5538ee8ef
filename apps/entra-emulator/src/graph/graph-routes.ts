import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { createDriveApi, GRAPH_DRIVE_SCOPES } from '../drives/drive-routes';
import { answerAppOnly } from './app-only-routes';
import { createBatchRoutes } from './batch-routes';
import { createGraphAuth } from './graph-auth';
import type { GraphEnv } from './graph-env';
import { GraphError, graphErrorResponse, graphErrors } from './graph-error';
import { createGroupsRoutes } from './groups-routes';
import { createPhotoCache } from './photo';
import { createUserRoutes } from './user-routes';
import { createMeRoutes, createUsersRoutes } from './users-routes';

/**
 * Microsoft Graph v1.0, directory part, mounted at `/v1.0`: one sub-app per resource. `/me/...` and
 * `/users/{id|upn}/...` mount the same user routes. Every request but `$batch` (which authenticates
 * itself, then runs each part through the whole emulator) is authenticated first, so an unknown path
 * answers 401 before 400, as Graph does.
 */
export function createGraphRoutes(ctx: EmulatorContext) {
  const app = new Hono<GraphEnv>();
  const auth = createGraphAuth(ctx);
  const base = `${ctx.baseUrl}/v1.0`;
  const { directory } = ctx;

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.header('request-id', requestId);
    c.header('client-request-id', c.req.header('client-request-id') ?? requestId);
    c.header('OData-Version', '4.0');
    c.header('Cache-Control', 'no-cache');
    await next();
  });

  app.route('/$batch', createBatchRoutes(ctx, auth));

  app.use('*', async (c, next) => {
    // An app-only token (client credentials) reads groups only; every other route needs a user.
    const appOnly = await auth.authenticateApp(c);
    if (appOnly)
      return answerAppOnly(c, appOnly, { directory: directory.inTenant(directory.tenant.id), base });
    const principal = await auth.authenticate(c);
    c.set('principal', principal);
    c.set('directory', directory.inTenant(principal.tenantId));
    await next();
  });

  // Before `/me`, whose routes would otherwise answer `/me/drive` as an unknown segment.
  const driveApi = createDriveApi({
    store: ctx.drives,
    shapes: ctx.driveShapes,
    signer: ctx.downloads,
    scopes: GRAPH_DRIVE_SCOPES,
    base,
    prefix: '/v1.0',
    hostname: new URL(ctx.sharepointUrl).hostname,
  });
  for (const path of [
    '/drives',
    '/drives/*',
    '/me/drive',
    '/me/drive/*',
    '/me/drives',
    '/sites',
    '/sites/*',
  ]) {
    app.all(path, (c) => driveApi(c, c.var.principal));
  }

  const userRoutes = createUserRoutes({ directory, auth, photoOf: createPhotoCache(), base });
  app.route('/me', createMeRoutes(userRoutes));
  app.route('/users', createUsersRoutes({ auth, base }, userRoutes));
  app.route('/groups', createGroupsRoutes({ directory, auth, base }));

  app.all('/:segment/*', (c) => {
    throw graphErrors.noRoute(c.req.param('segment'));
  });
  app.all('*', () => {
    throw graphErrors.noRoute('');
  });

  app.onError((error, c) => {
    if (error instanceof GraphError) return graphErrorResponse(c, error, ctx.clock());
    throw error;
  });
  return app;
}
