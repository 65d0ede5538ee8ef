import type { Counters } from './control/counters';
import type { Faults } from './control/faults';
import type { Directory } from './directory/directory';
import type { DownloadSigner } from './drives/download-token';
import type { DriveShapes } from './drives/drive-representation';
import type { DriveStore } from './drives/drive-store';
import type { GrantStore } from './identity/grant-store';
import type { KeyStore } from './identity/keys';
import type { ResourceCatalog } from './identity/resources';
import type { SsoSessionStore } from './identity/sso-session-store';
import type { TokenFactory } from './identity/token-factory';
import type { EmulatorSettings } from './settings';

/** Everything the emulator's routes share, built once by `createEmulator` and passed explicitly. */
export interface EmulatorContext {
  baseUrl: string;
  sharepointUrl: string;
  clock: () => number;
  directory: Directory;
  /** SharePoint sites, drives and files. */
  drives: DriveStore;
  driveShapes: DriveShapes;
  downloads: DownloadSigner;
  keys: KeyStore;
  resources: ResourceCatalog;
  grants: GrantStore;
  ssoSessions: SsoSessionStore;
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
