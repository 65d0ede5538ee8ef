// Public API of @gatehouse/config; ../README.md describes the contract other packages rely on.
export {
  type CloudChoice,
  type CloudId,
  chooseCloud,
  cloudById,
  cloudIds,
  cloudOfHost,
  detectCloud,
  graphBaseUrlOf,
  graphResourceOf,
  isCloudId,
  type MicrosoftCloud,
  microsoftClouds,
} from './clouds';
export { DEMO, DEV_SESSION_SECRET, type DevDefaultsUrls, devDefaults } from './dev-defaults';
export { isEntraIssuer, scopeResource } from './entra';
export { isEntryPoint } from './entry-point';
export { parseEnvText, readEnvFile } from './env-file';
export { ConfigError, type ConfigIssue, formatIssue } from './issues';
export { ignoredLibreChatVariables } from './known-variables';
export {
  type CheckResult,
  type Config,
  checkConfig,
  type DerivedConfig,
  type Env,
  type LoadConfigOptions,
  loadConfig,
  readVariable,
} from './load';
export { type PublicConfig, toPublicConfig } from './public';
export {
  type DatabaseConfig,
  type EnvVariable,
  envVariables,
  isClaimPath,
  type RoleTokenKind,
  secretVariables,
  variableGroups,
} from './schema';
export { isLoopbackHost, isLoopbackHttp } from './urls';
