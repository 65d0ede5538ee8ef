import type { Config } from '@gatehouse/config';
import type { Logger } from 'pino';
import { type AttachmentJobs, createAttachmentJobs } from './attachments/attachment-jobs';
import { type AttachmentStore, createAttachmentStore } from './attachments/attachment-store';
import type { RetryOptions } from './attachments/ranged-download';
import { type ClaimsChallenges, createClaimsChallenges, trackServedTokens } from './auth/claims-challenge';
import { cloudMismatch } from './auth/cloud-check';
import { signInScopes } from './auth/login';
import { createLoginTransactions, type LoginTransactions } from './auth/login-transaction';
import { createOidcClient, type OidcClient } from './auth/oidc';
import { createRefreshRoleCheck } from './auth/refresh-role-check';
import { createRequiredGroups, type RequiredGroups } from './auth/required-groups';
import { createRoleCheck, type RoleCheck } from './auth/role-check';
import { type Clock, systemClock } from './clock';
import type { DatabaseHandle } from './db/connect';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { graphFilesResourceOf, graphResourceOf } from './graph/graph-resource';
import { downloadViaFetch, type OpenDownload } from './http/download-stream';
import { outboundFetch } from './http/outbound-fetch';
import { createMembershipResolver, type MembershipResolver } from './membership/membership-resolver';
import { createKyselySessionStore } from './session/kysely-session-store';
import type { SessionRecord, SessionStore } from './session/session-store';
import { createTokenCipher } from './session/token-cipher';
import { createTokenManager, type ResourceSpec, type TokenManager } from './session/token-manager';
import { createUserLookup, type UserLookup } from './users/user-lookup';

/** Everything `createApp` needs. Long-lived, built once by `createAppDeps` (main.ts, tests). */
export interface AppDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  database: DatabaseHandle;
  store: SessionStore;
  oidc: OidcClient;
  graph: GraphClient;
  /** Claims challenges (Conditional Access, CAE) waiting for a sign-in. */
  claimsChallenges: ClaimsChallenges;
  /** Microsoft Graph as a resource of the token manager (scopes from OPENID_GRAPH_SCOPES). */
  graphResource: ResourceSpec;
  tokens: TokenManager;
  transactions: LoginTransactions;
  roles: RoleCheck;
  /** OPENID_REQUIRED_ROLE groups named by display name; main.ts resolves them before listening. */
  requiredGroups: RequiredGroups;
  /** User profiles by id, cached briefly (the session endpoint reads one per call). */
  users: UserLookup;
  /** Re-resolves a user's Entra groups (sharing); also run at sign-in and after every refresh. */
  membership: MembershipResolver;
  /** Sign-in hook: the user's Entra groups, before the first request. */
  afterSignIn(session: SessionRecord): Promise<void>;
  /** Sign-in rate limit per client address (default 30 per minute). */
  signInRateLimit: { limit: number; windowMs: number };
  /** The built SPA to serve (production), when present. */
  spaRoot?: string;
  /** Outbound HTTP (the provider, Graph). */
  fetch: typeof fetch;
  /** Download URLs (the proxy, attachment jobs): Node streams, no WHATWG stream per chunk. */
  download: OpenDownload;
  /** Graph as a token-manager resource for picked files (SHAREPOINT_PICKER_GRAPH_SCOPE). */
  graphFilesResource: ResourceSpec;
  /** Attachment bytes under ATTACHMENTS_DIR. */
  attachmentStore: AttachmentStore;
  /** "Attach from SharePoint" jobs running in this process (state in the database). */
  attachmentJobs: AttachmentJobs;
}

export interface CreateAppDepsOptions {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
  /**
   * Outbound HTTP (the provider, Graph); tests pass the emulator's in-process fetch. Default:
   * `outboundFetch(config)`, i.e. through PROXY when it is set (and EMULATOR_HOST_MAP with the emulator).
   */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Replaces the Kysely store (unit tests). */
  store?: SessionStore;
  signInRateLimit?: AppDeps['signInRateLimit'];
  spaRoot?: string;
  /** Passed to the OIDC client (tests shorten discovery retries). */
  discovery?: { attempts?: number; retryDelayMs?: number };
  /** Download retries of attachment jobs (tests shorten the backoff). */
  attachmentRetry?: RetryOptions;
  /** Replaces ATTACHMENTS_DIR (tests). */
  attachmentsDir?: string;
}

/** Wires the long-lived dependencies from configuration. No I/O: nothing is fetched or opened here. */
export function createAppDeps(options: CreateAppDepsOptions): AppDeps {
  const { config, database, log } = options;
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? outboundFetch(config);
  const download = downloadViaFetch(fetchImpl);
  const store =
    options.store ??
    createKyselySessionStore({
      database,
      cipher: createTokenCipher({
        secret: config.OPENID_SESSION_SECRET,
        previousSecrets: config.OPENID_SESSION_SECRET_PREVIOUS,
      }),
      log,
    });
  const oidc = createOidcClient({
    issuer: config.OPENID_ISSUER,
    clientId: config.OPENID_CLIENT_ID,
    ...(config.OPENID_CLIENT_CERTIFICATE && config.OPENID_CLIENT_PRIVATE_KEY
      ? {
          clientCertificate: {
            privateKeyPem: config.OPENID_CLIENT_PRIVATE_KEY,
            x5tS256: config.OPENID_CLIENT_CERTIFICATE.x5tS256,
          },
        }
      : { clientSecret: config.OPENID_CLIENT_SECRET ?? '' }),
    redirectUri: config.redirectUri,
    clockToleranceSeconds: config.OPENID_CLOCK_TOLERANCE,
    fetch: fetchImpl,
    clock,
    log: log.child({ module: 'oidc' }),
    // Entra's metadata names its cloud: tokens never go to another cloud's Graph (auth/cloud-check.ts).
    checkMetadata: (metadata) => cloudMismatch(config, metadata),
    ...(options.discovery?.attempts === undefined ? {} : { discoveryAttempts: options.discovery.attempts }),
    ...(options.discovery?.retryDelayMs === undefined
      ? {}
      : { discoveryRetryDelayMs: options.discovery.retryDelayMs }),
  });
  const claimsChallenges = createClaimsChallenges({ clock, store });
  const graph = createGraphClient({
    onClaimsChallenge: claimsChallenges.rememberRefused,
    fetch: fetchImpl,
    log: log.child({ module: 'graph' }),
    baseUrl: config.GRAPH_BASE_URL,
    resource: config.graphResource,
  });
  const graphResource = graphResourceOf(config);
  const requiredGroups = createRequiredGroups({ config, oidc, graph, log: log.child({ module: 'roles' }) });
  const roles = createRoleCheck({ config, graph, requiredGroups, log: log.child({ module: 'roles' }) });
  const users = createUserLookup({ database }, { clock });
  // Tells the claims challenges whose Graph token Graph refused (auth/claims-challenge.ts).
  const tokens = trackServedTokens(
    createTokenManager({
      store,
      oidc,
      clock,
      log: log.child({ module: 'tokens' }),
      // offline_access is a property of the grant, not of one token: some providers (oidc-provider)
      // refuse it on refresh when the original request was not a consent prompt.
      sessionScope: signInScopes(config).filter((scope) => scope.toLowerCase() !== 'offline_access'),
      graph: graphResource,
      recheckRoles: createRefreshRoleCheck({ config, oidc, roles, log: log.child({ module: 'roles' }) }),
      // Sharing: group membership is as fresh as the session's token.
      afterRefresh: async (session) => {
        await membership(session);
      },
    }),
    claimsChallenges,
  );
  const membership = createMembershipResolver({
    config,
    database,
    graph,
    tokens,
    graphResource,
    clock,
    users,
    log: log.child({ module: 'membership' }),
  });
  const graphFilesResource = graphFilesResourceOf(config);
  const attachmentStore = createAttachmentStore({ dir: options.attachmentsDir ?? config.ATTACHMENTS_DIR });
  const attachmentJobs = createAttachmentJobs({
    config,
    database,
    store: attachmentStore,
    graph,
    tokens,
    filesResource: graphFilesResource,
    download,
    clock,
    log: log.child({ module: 'attachments' }),
    ...(options.attachmentRetry ? { retry: options.attachmentRetry } : {}),
  });
  return {
    config,
    clock,
    log,
    database,
    fetch: fetchImpl,
    download,
    graphFilesResource,
    attachmentStore,
    attachmentJobs,
    store,
    oidc,
    graph,
    claimsChallenges,
    graphResource,
    tokens,
    transactions: createLoginTransactions({ secret: config.OPENID_SESSION_SECRET, clock }),
    roles,
    requiredGroups,
    users,
    membership,
    afterSignIn: async (session) => {
      await membership(session);
    },
    signInRateLimit: options.signInRateLimit ?? { limit: 30, windowMs: 60_000 },
    ...(options.spaRoot ? { spaRoot: options.spaRoot } : {}),
  };
}
