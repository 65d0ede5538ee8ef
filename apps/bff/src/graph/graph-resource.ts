import type { Config } from '@gatehouse/config';
import { claimsParameter } from '../auth/claims-parameter';
import type { ResourceSpec } from '../session/token-manager';

/**
 * `User.Read` → `https://graph.microsoft.com/User.Read`: a refresh for Graph names its resource, the
 * Graph of the configuration's cloud (`https://graph.microsoft.us/User.Read` in GCC High).
 */
export function graphResourceOf(config: Pick<Config, 'OPENID_GRAPH_SCOPES' | 'graphResource'>): ResourceSpec {
  const graph = config.graphResource;
  const scopes = config.OPENID_GRAPH_SCOPES.length > 0 ? config.OPENID_GRAPH_SCOPES : ['User.Read'];
  return {
    resource: graph,
    // CAE-capable Graph tokens (MSAL's clientCapabilities: ["CP1"]): Entra can then revoke them in
    // near real time, and Graph answers a revoked one with a claims challenge instead of serving it.
    claims: claimsParameter(undefined),
    scope: scopes.map((scope) => (scope.includes('://') ? scope : `${graph}/${scope}`)),
  };
}

/**
 * Graph for downloading picked files: SHAREPOINT_PICKER_GRAPH_SCOPE only (`Files.Read.All`), cached
 * apart from the directory token of OPENID_GRAPH_SCOPES so neither token carries the other's scopes.
 */
export function graphFilesResourceOf(
  config: Pick<Config, 'SHAREPOINT_PICKER_GRAPH_SCOPE' | 'graphResource'>,
): ResourceSpec {
  const graph = config.graphResource;
  const scope = config.SHAREPOINT_PICKER_GRAPH_SCOPE ?? 'Files.Read.All';
  return {
    resource: graph,
    key: `${graph}#files`,
    claims: claimsParameter(undefined),
    scope: [scope.includes('://') ? scope : `${graph}/${scope}`],
  };
}
