import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator';

export interface StartEmulatorOptions extends Omit<EmulatorOptions, 'baseUrl'> {
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
  /** The tenant's issuer: `${url}/${tenantId}/v2.0`. */
  issuer: string;
  /** The issuer for another tenant segment (`common` and `organizations` give Entra's template). */
  issuerFor(tenant?: string): string;
  port: number;
  close(): Promise<void>;
};

/** Starts the emulator on a real port (0 = a free one) and resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = 'localhost', sharepointPort, ...emulatorOptions } = options;
  let emulator: Emulator | undefined;
  // The bindings ({ incoming, outgoing }) let a cut fault drop the connection.
  const server = serve({
    fetch: (request, bindings) =>
      emulator ? emulator.app.fetch(request, bindings) : new Response('starting', { status: 503 }),
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
      const url = new URL(request.url);
      if (url.origin === emulator.sharepointUrl) return emulator.app.fetch(request, bindings);
      const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers };
      if (request.body) Object.assign(init, { body: request.body, duplex: 'half' });
      return emulator.app.fetch(
        new Request(`${emulator.sharepointUrl}${url.pathname}${url.search}`, init),
        bindings,
      );
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
  const url = `http://localhost:${actualPort}`;
  emulator = createEmulator({
    ...emulatorOptions,
    baseUrl: url,
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
