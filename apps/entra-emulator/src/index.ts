// Public API of @gatehouse/entra-emulator. Importing it has no side effects: nothing listens until
// startEmulator() is called (main.ts is the `pnpm emulator` entry point).
export type { EmulatorControl } from './control/control';
export type { CounterSnapshot } from './control/counters';
export { type FaultSpec, type IdTokenTampering, idTokenTamperings } from './control/faults';
export {
  createEmulator,
  DEFAULT_BASE_URL,
  DEFAULT_SHAREPOINT_URL,
  type Emulator,
  type EmulatorOptions,
} from './emulator';
export { GRAPH_APP_ID, SHAREPOINT_APP_ID } from './identity/resources';
export {
  CONTOSO_TENANT_ID,
  contosoSeed,
  DEMO_PASSWORD,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from './seed/contoso';
export { FABRIKAM_PASSWORD, FABRIKAM_TENANT_ID, fabrikamTenant } from './seed/fabrikam';
export type {
  Seed,
  SeedApplication,
  SeedAppRole,
  SeedAppRoleAssignment,
  SeedGroup,
  SeedOtherTenant,
  SeedTenant,
  SeedUser,
} from './seed/types';
export { type RunningEmulator, type StartEmulatorOptions, startEmulator } from './start-emulator';
