import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator';

export interface StartEmulatorOptions extends Omit<EmulatorOptions, 'baseUrl'> {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; `localhost` by default. URLs always use the name `localhost`. */
  host?: string;
}

export type RunningEmulator = Omit<Emulator, 'issuer'> & {
  /** `http://localhost:<port>` */
  url: string;
  /** The tenant's issuer: `${url}/${tenantId}/v2.0`. */
  issuer: string;
  /** The issuer for another tenant segment (`common` and `organizations` give Entra's template). */
  issuerFor(tenant?: string): string;
  port: number;
  close(): Promise<void>;
};

/** Starts the emulator on a real port (0 = a free one) and resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = 'localhost', ...emulatorOptions } = options;
  let emulator: Emulator | undefined;
  const server = serve({
    // The bindings ({ incoming, outgoing }) let a cut fault drop the connection.
    fetch: (request, bindings) =>
      emulator ? emulator.app.fetch(request, bindings) : new Response('starting', { status: 503 }),
    port,
    hostname: host,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `The emulator cannot listen on ${host}:${port}: the port is in use. Set EMULATOR_PORT to another port.`,
              { cause: error },
            )
          : error,
      ),
    );
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://localhost:${actualPort}`;
  emulator = createEmulator({ ...emulatorOptions, baseUrl: url });
  const running = emulator;
  return {
    ...running,
    url,
    port: actualPort,
    issuer: running.issuer(),
    issuerFor: (tenant) => running.issuer(tenant),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
