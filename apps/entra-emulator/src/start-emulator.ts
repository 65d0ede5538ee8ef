import type { AddressInfo } from 'node:net';
import { cloudById } from '@gatehouse/config';
import { serve } from '@hono/node-server';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator';

export interface StartEmulatorOptions extends EmulatorOptions {
  /**
   * The origin the emulator names itself by (issuer, endpoints, links): by default the `url` it
   * listens on. A national cloud's login host (`https://login.microsoftonline.us`, with `cloud`) when
   * the client reaches the port through a host mapping (the BFF's EMULATOR_HOST_MAP).
   */
  baseUrl?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * The SharePoint site's port on 127.0.0.1 when `sharepointUrl` is not given: by default a free one when
   * `port` is 0, else 3091 (the dev default). With `sharepointUrl`, its host and port are used.
   */
  sharepointPort?: number;
  /** Interface to listen on; `localhost` by default. URLs always use the name `localhost`. */
  host?: string;
}

export type RunningEmulator = Omit<Emulator, 'issuer'> & {
  /** `http://localhost:<port>` */
  url: string;
  /** The SharePoint site's port (its URL is `sharepointUrl`). */
  sharepointPort: number;
  /** The tenant's issuer: `${baseUrl}/${tenantId}/v2.0` (`url` unless `baseUrl` was given). */
  issuer: string;
  /** The issuer for another tenant segment (`common` and `organizations` give Entra's template). */
  issuerFor(tenant?: string): string;
  port: number;
  close(): Promise<void>;
};

/** Starts the emulator on a real port (0 = a free one) and resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = 'localhost', sharepointPort, baseUrl, ...emulatorOptions } = options;
  let emulator: Emulator | undefined;
  let url = '';
  // The bindings ({ incoming, outgoing }) let a cut fault drop the connection.
  const server = serve({
    fetch: (request, bindings) =>
      emulator
        ? emulator.app.fetch(asPublic(request, emulator, url), bindings)
        : new Response('starting', { status: 503 }),
    port,
    hostname: host,
  });
  const sharepointTarget = emulatorOptions.sharepointUrl ? new URL(emulatorOptions.sharepointUrl) : undefined;
  const sharepointHost = sharepointTarget?.hostname ?? '127.0.0.1';
  const sharepointListenPort = sharepointTarget
    ? Number(sharepointTarget.port || 80)
    : (sharepointPort ?? (port === 0 ? 0 : 3091));
  const sharepointServer = serve({
    // Whatever host name the client used, the request is the SharePoint origin's.
    fetch: (request, bindings) => {
      if (!emulator) return new Response('starting', { status: 503 });
      return emulator.app.fetch(withOrigin(request, emulator.sharepointUrl), bindings);
    },
    port: sharepointListenPort,
    hostname: sharepointHost,
  });
  await Promise.all([
    listening(server, host, port, 'EMULATOR_PORT'),
    listening(sharepointServer, sharepointHost, sharepointListenPort, 'EMULATOR_SHAREPOINT_PORT'),
  ]).catch(async (error: unknown) => {
    await Promise.all([close(server), close(sharepointServer)]);
    throw error;
  });
  const actualPort = (server.address() as AddressInfo).port;
  const actualSharepointPort = (sharepointServer.address() as AddressInfo).port;
  url = `http://localhost:${actualPort}`;
  emulator = createEmulator({
    ...emulatorOptions,
    baseUrl: baseUrl ?? url,
    sharepointUrl: `http://${sharepointHost}:${actualSharepointPort}`,
  });
  const running = emulator;
  return {
    ...running,
    url,
    port: actualPort,
    sharepointPort: actualSharepointPort,
    issuer: running.issuer(),
    issuerFor: (tenant) => running.issuer(tenant),
    close: async () => {
      await Promise.all([close(server), close(sharepointServer)]);
    },
  };
}

type Server = ReturnType<typeof serve>;

/** `request` as if it had been sent to `origin` (same path, query, method, headers and body). */
function withOrigin(request: Request, origin: string): Request {
  const url = new URL(request.url);
  if (url.origin === origin) return request;
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers };
  if (request.body) Object.assign(init, { body: request.body, duplex: 'half' });
  return new Request(`${origin}${url.pathname}${url.search}`, init);
}

/**
 * With a `baseUrl` other than the port it listens on, requests are the public URLs' they were meant
 * for through the host mapping: Graph paths of a national cloud its Graph host, everything else
 * `baseUrl`. So links the emulator builds from the request (`@odata.nextLink`) name those hosts.
 */
function asPublic(request: Request, emulator: Emulator, listening: string): Request {
  if (emulator.baseUrl === listening) return request;
  const cloud = cloudById(emulator.control.settings().cloud);
  const path = new URL(request.url).pathname;
  const graph = cloud.id !== 'global' && (path === '/v1.0' || path.startsWith('/v1.0/'));
  return withOrigin(request, graph ? `https://${cloud.graphHost}` : emulator.baseUrl);
}

function listening(server: Server, host: string, port: number, variable: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `The emulator cannot listen on ${host}:${port}: the port is in use. Set ${variable} to another port.`,
              { cause: error },
            )
          : error,
      ),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (!server.listening) return resolve();
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
