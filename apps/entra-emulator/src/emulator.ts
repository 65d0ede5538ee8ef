import type { ServerResponse } from 'node:http';
import { type CloudId, cloudIds, isCloudId } from '@gatehouse/config';
import { Hono } from 'hono';
import type { EmulatorContext } from './context';
import { createControl, type EmulatorControl } from './control/control';
import { createControlRoutes } from './control/control-routes';
import { createCounters } from './control/counters';
import { createFaults, isTokenRoute } from './control/faults';
import { createDirectory } from './directory/directory';
import { createDownloadRoutes } from './drives/download-routes';
import { createDownloadSigner, downloadItemOf } from './drives/download-token';
import { createDriveShapes } from './drives/drive-representation';
import { createDriveStore } from './drives/drive-store';
import { meteredBody } from './drives/metered-body';
import { GraphError, graphErrorResponse } from './graph/graph-error';
import { createGraphRoutes } from './graph/graph-routes';
import { createAuthorizeRoutes } from './identity/authorize/authorize-endpoint';
import { createDiscoveryRoutes } from './identity/discovery';
import { createGrantStore } from './identity/grant-store';
import { jsonError } from './identity/http';
import { createKeyStore } from './identity/keys';
import { createLogoutRoutes } from './identity/logout';
import { errors, OAuthError } from './identity/oauth-error';
import { createResourceCatalog } from './identity/resources';
import { createSsoSessionStore } from './identity/sso-session-store';
import { TENANT_INDEPENDENT } from './identity/tenant-segment';
import { createTokenEndpoint, sleep } from './identity/token/token-endpoint';
import { createTokenFactory } from './identity/token-factory';
import { createUserinfoRoutes } from './identity/userinfo';
import { contosoSeed } from './seed/contoso';
import type { Seed } from './seed/types';
import { validateSeed } from './seed/validate-seed';
import { defaultSettings } from './settings';
import { createSharePointApp } from './sharepoint/sharepoint-app';

export interface EmulatorOptions {
  /** The directory and app registrations; the Contoso demo tenant by default. */
  seed?: Seed;
  /** Milliseconds since the epoch; tests pass a fake clock to expire codes and tokens. */
  clock?: () => number;
  /** Where the emulator is reached, e.g. `http://localhost:3090`: issuer, endpoints and links use it. */
  baseUrl?: string;
  /** The emulated SharePoint site (its origin is the audience of SharePoint tokens). */
  sharepointUrl?: string;
  /**
   * The Microsoft cloud it presents itself as (default `global`): discovery's `cloud_instance_name` and
   * `msgraph_host`, and the Graph resource of scopes and tokens. With `baseUrl` on that cloud's login
   * host and the BFF's EMULATOR_HOST_MAP, a national-cloud configuration runs offline. `reset()` keeps it.
   */
  cloud?: CloudId;
}

export interface Emulator {
  app: Hono;
  /** Handles a request in-process (no network): hand it to code under test as its `fetch`. */
  fetch: (request: Request) => Promise<Response>;
  control: EmulatorControl;
  /** The issuer for the tenant (`${baseUrl}/${tenantId}/v2.0`); `common`/`organizations` give Entra's `{tenantid}` template. */
  issuer(tenant?: string): string;
  seed: Seed;
  baseUrl: string;
  sharepointUrl: string;
}

export const DEFAULT_BASE_URL = 'http://localhost:3090';
export const DEFAULT_SHAREPOINT_URL = 'http://127.0.0.1:3091';

/**
 * The whole emulator as a Hono app, without I/O: identity (Entra v2.0 endpoints), directory Graph
 * (`/v1.0`), and the control API (`/_emulator`). Keys are generated here, once per emulator.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const seed = options.seed ?? contosoSeed;
  validateSeed(seed);
  const baseUrl = normaliseUrl(options.baseUrl ?? DEFAULT_BASE_URL, 'baseUrl');
  const sharepointUrl = normaliseUrl(options.sharepointUrl ?? DEFAULT_SHAREPOINT_URL, 'sharepointUrl');
  const clock = options.clock ?? Date.now;
  const directory = createDirectory(seed);

  const keys = createKeyStore();
  const settings = { ...defaultSettings, ...(options.cloud ? { cloud: checkCloud(options.cloud) } : {}) };
  const issuer = `${baseUrl}/${seed.tenant.id}/v2.0`;
  const app = new Hono();
  const drives = createDriveStore(seed, directory);
  const downloads = createDownloadSigner({ baseUrl, clock });
  const ctx: EmulatorContext = {
    baseUrl,
    sharepointUrl,
    clock,
    directory,
    drives,
    driveShapes: createDriveShapes({ store: drives, directory, sharepointUrl, signer: downloads }),
    downloads,
    keys,
    resources: createResourceCatalog(directory, sharepointUrl, () => settings.cloud),
    grants: createGrantStore(),
    ssoSessions: createSsoSessionStore(),
    settings,
    counters: createCounters(),
    faults: createFaults(),
    tokens: createTokenFactory({ directory, keys, clock, baseUrl, settings }),
    issuer,
    // `app` is complete before any request can reach `$batch`.
    handle: async (request) => app.fetch(request),
    batched: new WeakSet<Request>(),
  };
  const control = createControl(ctx);

  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/_emulator/') || isTokenRoute(c.req.path)) return next();
    const graph = c.req.path.startsWith('/v1.0/') || c.req.path === '/v1.0';
    if (graph) ctx.counters.countGraph(c.req.path, ctx.batched.has(c.req.raw));
    const download = c.req.path.startsWith('/_download/') && c.req.method === 'GET';
    const itemId = download ? downloadItemOf(c.req.path) : '';
    if (download) ctx.counters.countDownload(itemId);
    const fault = ctx.faults.take({ path: c.req.path, method: c.req.method });
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (!fault?.status) {
      await next();
      const cutAfterBytes = fault?.cutAfterBytes;
      if (c.res.body && (download || cutAfterBytes !== undefined)) {
        const onBytes = download
          ? (bytes: number) => ctx.counters.countDownloadBytes(itemId, bytes)
          : undefined;
        // Over HTTP (startEmulator), end the body at the cut and then drop the socket.
        const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
        const endAtCut = cutAfterBytes !== undefined && outgoing !== undefined;
        if (endAtCut) {
          const socket = outgoing.socket; // detached from the response once it finishes
          outgoing.once('finish', () => socket?.destroy());
        }
        c.res = new Response(meteredBody(c.res.body, { cutAfterBytes, onBytes, endAtCut }), c.res);
      }
      return;
    }
    const headers: Record<string, string> =
      fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
    if (graph || c.req.path.startsWith('/_download/') || c.req.path.startsWith('/_api/')) {
      const code =
        fault.status === 429
          ? 'TooManyRequests'
          : fault.status === 503
            ? 'serviceNotAvailable'
            : 'generalException';
      const message =
        fault.status === 429
          ? 'Too many requests from Identifier. Please try again later.'
          : 'The service is temporarily unavailable.';
      return graphErrorResponse(c, new GraphError(fault.status, code, message, headers), clock());
    }
    for (const [key, value] of Object.entries(headers)) c.header(key, value);
    const error =
      fault.status === 429
        ? errors.throttled()
        : new OAuthError(
            'temporarily_unavailable',
            90033,
            'A transient error has occurred. Please try again.',
            {
              status: fault.status,
            },
          );
    return jsonError(c, error, clock());
  });

  // The SharePoint origin is served by its own app: in-process by the request's origin, and over HTTP
  // by the second listener of startEmulator (which sends its requests here with that origin).
  const sharepoint = createSharePointApp(ctx);
  app.use('*', async (c, next) => {
    if (new URL(c.req.url).origin !== sharepointUrl) return next();
    c.res = await sharepoint.fetch(c.req.raw, c.env);
  });

  app.route('/_emulator', createControlRoutes(control));
  app.route('/', createDiscoveryRoutes(ctx));
  app.route('/', createAuthorizeRoutes(ctx));
  const token = createTokenEndpoint(ctx);
  app.post('/:tenant/oauth2/v2.0/token', token);
  app.get('/:tenant/oauth2/v2.0/token', (c) =>
    jsonError(
      c,
      errors.invalidRequest(
        900561,
        'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
      ),
      clock(),
    ),
  );
  app.route('/', createLogoutRoutes(ctx));
  app.route('/', createUserinfoRoutes(ctx));
  app.route('/v1.0', createGraphRoutes(ctx));
  app.route(
    '/_download',
    createDownloadRoutes({ store: drives, shapes: ctx.driveShapes, signer: downloads, clock }),
  );
  app.get('/', (c) =>
    c.json({
      emulator: 'Gatehouse Entra emulator',
      issuer: ctx.issuer,
      discovery: `${ctx.issuer}/.well-known/openid-configuration`,
      graph: `${baseUrl}/v1.0`,
      control: `${baseUrl}/_emulator`,
    }),
  );
  app.notFound((c) =>
    c.json({ error: 'not_found', message: `The emulator has no route ${c.req.method} ${c.req.path}.` }, 404),
  );

  return {
    app,
    fetch: async (request) => app.fetch(request),
    control,
    issuer(tenant) {
      if (tenant === undefined) return ctx.issuer;
      const found = directory.findTenant(tenant);
      if (found) return ctx.tokens.issuer(found.id);
      if (TENANT_INDEPENDENT.includes(tenant.toLowerCase())) return `${baseUrl}/{tenantid}/v2.0`;
      const known = directory.tenants().map((t) => `${t.id} (${t.aliases.join(', ')})`);
      throw new TypeError(`The emulator's tenants are ${known.join(' and ')}, not "${tenant}".`);
    },
    seed,
    baseUrl,
    sharepointUrl,
  };
}

function checkCloud(cloud: string): CloudId {
  if (!isCloudId(cloud)) throw new TypeError(`cloud must be one of ${cloudIds.join(', ')}, got "${cloud}".`);
  return cloud;
}

function normaliseUrl(value: string, name: string): string {
  if (!URL.canParse(value))
    throw new TypeError(`${name} must be an absolute URL such as http://localhost:3090, got "${value}".`);
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new TypeError(`${name} must be an origin without a path, query or fragment, got "${value}".`);
  }
  return url.origin;
}
