/**
 * The composition root: the environment → configuration → database → OIDC client → app → server.
 * A configuration problem stops the process before anything listens, naming each variable, what
 * is wrong and how to fix it. A provider that is down at start-up does not: the server listens,
 * `/readyz` says 503 until discovery succeeds, and each sign-in retries discovery on demand.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, DEMO, loadConfig, readEnvFile } from '@gatehouse/config';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import { createApp } from './app';
import { RequiredGroupsError } from './auth/required-groups';
import { createDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { type AppDeps, createAppDeps } from './deps';
import { seedDevLocalGroups } from './groups/dev-seed';
import { edgeServerOptions } from './http/edge-response';
import { createGracefulShutdown } from './http/graceful-shutdown';
import { createLogger } from './http/logger';
import { listeningSummary } from './listening-summary';

type Env = Record<string, string | undefined>;

/** SIGTERM: requests in flight get this long to finish… */
const DRAIN_TIMEOUT_MS = 8000;
/** …and the process exits within this, whatever hangs (orchestrators send SIGKILL at 10 s). */
const STOP_BUDGET_MS = 9500;

/**
 * The built SPA: `GATEHOUSE_WEB_DIST`, else `apps/web/dist` (the same relative path from `src/`
 * under tsx and from `dist/` in the bundle). Not served when it has no `index.html`.
 */
function spaRoot(env: Env): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = env.GATEHOUSE_WEB_DIST ? resolve(env.GATEHOUSE_WEB_DIST) : resolve(here, '../../web/dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/** `.env` in the working directory, as LibreChat reads it; the process environment wins. */
function environment(): Env {
  const file = resolve('.env');
  return { ...(existsSync(file) ? readEnvFile(file) : {}), ...process.env };
}

function readConfig(env: Env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * OPENID_REQUIRED_ROLE groups named by display name: an unknown or ambiguous name stops the start
 * with the candidates; a provider or Graph outage does not (after 10 s the server listens, and
 * sign-ins, refused meanwhile, resolve the names again).
 */
async function resolveRequiredGroups(deps: AppDeps, log: Logger) {
  const resolving = deps.requiredGroups.resolve();
  const outcome = await Promise.race([
    resolving.then(
      () => 'resolved' as const,
      (err: unknown) => err,
    ),
    new Promise<'pending'>((done) => setTimeout(done, 10_000, 'pending').unref()),
  ]);
  if (outcome instanceof RequiredGroupsError) {
    console.error(outcome.message);
    process.exit(1);
  }
  if (outcome !== 'resolved') {
    log.error(
      { err: outcome === 'pending' ? undefined : outcome },
      'OPENID_REQUIRED_ROLE: the groups named by display name could not be resolved through Microsoft Graph yet; sign-ins are refused until they are (each sign-in tries again)',
    );
    resolving.catch((err: unknown) => {
      if (err instanceof RequiredGroupsError) {
        console.error(err.message);
        process.exit(1);
      }
    });
  }
}

async function main() {
  const env = environment();
  const config = readConfig(env);
  const log = createLogger({
    level: config.LOG_LEVEL,
    pretty: !config.isProduction && process.stdout.isTTY === true,
  });
  const database = createDatabase(config.DATABASE_URL);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  if (config.GATEHOUSE_EMULATOR && !config.isProduction) {
    // Development against the emulator: a few local groups of its demo users (idempotent).
    const seeded = await seedDevLocalGroups(database.db, {
      issuer: config.OPENID_ISSUER,
      tenantId: DEMO.tenantId,
      now: Date.now(),
    });
    if (seeded.length > 0) log.info({ groups: seeded }, 'development local groups seeded');
  }

  const spa = spaRoot(env);
  const deps = createAppDeps({ config, database, log, ...(spa ? { spaRoot: spa } : {}) });
  const app = createApp(deps);
  // Attachments: nothing half-written survives a restart. With SQLite this is the only process, so
  // every unfinished job died with the last one; with PostgreSQL other instances may be running
  // theirs, so only jobs whose heartbeat stopped count (and the sweep below repeats this). Files no
  // attachment row references (a crash after a conversation's deletion, before its files went) go too.
  await deps.attachmentStore.ensureDir();
  const recovered = await deps.attachmentJobs.recover({
    everyUnfinished: config.DATABASE_URL.kind === 'sqlite',
    unreferencedFiles: true,
  });
  if (recovered > 0) log.warn({ jobs: recovered }, 'attachment jobs interrupted by a restart marked failed');
  // Not awaited: the server listens while discovery retries; sign-in retries it lazily afterwards.
  void deps.oidc.start();
  await resolveRequiredGroups(deps, log);

  // SIGTERM drains (see graceful-shutdown.ts): in flight requests finish, event streams end cleanly.
  const shutdown = createGracefulShutdown({ drainTimeoutMs: DRAIN_TIMEOUT_MS });
  const fetchApp = (request: Request, env: HttpBindings | Http2Bindings) =>
    // Only the job's event stream (the raw URL is a plain string: no cost on other requests).
    (env.incoming as IncomingMessage).url?.endsWith('/events')
      ? Promise.resolve(app.fetch(request, env)).then((response) =>
          response.headers.get('content-type')?.startsWith('text/event-stream')
            ? shutdown.endOnDrain(response)
            : response,
        )
      : app.fetch(request, env);
  const listener = getRequestListener(fetchApp, { hostname: config.HOST });
  // EdgeResponse: the request edge's headers go out in the route's writeHead (see http/edge-response.ts).
  const server = createServer(edgeServerOptions, shutdown.track(listener as RequestListener));
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    log.info(listeningSummary(config, port, spa), 'Gatehouse BFF listening');
  });

  // Expired sessions are refused on read; this only keeps the table small.
  const sweep = setInterval(() => {
    deps.store.deleteExpired(Date.now()).then(
      (count) => count > 0 && log.info({ count }, 'expired sessions removed'),
      (err: unknown) => log.warn({ err }, 'expired-session sweep failed'),
    );
  }, 10 * 60_000);
  sweep.unref();
  const attachmentSweep = setInterval(() => {
    deps.attachmentJobs.recover({}).then(
      (count) =>
        count > 0 && log.warn({ jobs: count }, 'attachment jobs of a stopped instance marked failed'),
      (err: unknown) => log.warn({ err }, 'attachment job recovery failed'),
    );
  }, 30_000);
  attachmentSweep.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Whatever happens below, the process is gone within the stop budget.
    setTimeout(() => {
      log.error({ signal }, 'shutdown took too long; exiting');
      process.exit(1);
    }, STOP_BUDGET_MS).unref();
    log.info({ signal, inFlight: shutdown.inFlight() }, 'shutting down: draining');
    clearInterval(sweep);
    clearInterval(attachmentSweep);
    // Work abandoned on purpose may reject with nobody left to listen (an attachment download
    // aborted mid-flight): while draining, that must not crash the process and cut the requests
    // still being answered. Logged, not fatal.
    process.on('unhandledRejection', (err) => log.warn({ err }, 'rejection while shutting down'));
    deps.attachmentJobs.abandon(); // the next start (or another instance) recovers them
    const drained = await shutdown.drain(server);
    if (drained.cut > 0) log.warn(drained, 'requests still in flight when the drain ended were cut');
    else log.info(drained, 'drained');
    await database.close().catch((err: unknown) => log.warn({ err }, 'closing the database failed'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Gatehouse BFF failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
