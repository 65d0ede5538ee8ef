import type { Counters } from './control/counters';
import type { Faults } from './control/faults';
import type { Directory } from './directory/directory';
import type { GrantStore } from './identity/grant-store';
import type { KeyStore } from './identity/keys';
import type { ResourceCatalog } from './identity/resources';
import type { SessionStore } from './identity/session-store';
import type { TokenFactory } from './identity/token-factory';

/** Settings tests may change at run time through the control API. */
export interface EmulatorSettings {
  accessTokenLifetimeSeconds: number;
  /** A refresh token unused for this long fails with AADSTS700082 (Entra: 90 days). */
  refreshTokenInactivitySeconds: number;
  /** `allow` (Entra): a rotated refresh token stays valid. `revoke`: reusing one revokes its whole family. */
  refreshTokenReuse: 'allow' | 'revoke';
  tokenEndpointDown: boolean;
}

export const defaultSettings: EmulatorSettings = {
  accessTokenLifetimeSeconds: 3600,
  refreshTokenInactivitySeconds: 90 * 24 * 3600,
  refreshTokenReuse: 'allow',
  tokenEndpointDown: false,
};

/** Everything the emulator's routes share, built once by `createEmulator` and passed explicitly. */
export interface EmulatorContext {
  baseUrl: string;
  sharepointUrl: string;
  clock: () => number;
  directory: Directory;
  keys: KeyStore;
  resources: ResourceCatalog;
  grants: GrantStore;
  sessions: SessionStore;
  settings: EmulatorSettings;
  counters: Counters;
  faults: Faults;
  tokens: TokenFactory;
  /** The tenant's v2.0 issuer. */
  issuer: string;
  /** The whole emulator app, for `$batch` to run its sub-requests through faults and counters. */
  handle: (request: Request) => Promise<Response>;
  /** Sub-requests of a `$batch`, counted apart from HTTP round trips. */
  batched: WeakSet<Request>;
}
