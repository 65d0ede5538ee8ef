import type { Config } from '@gatehouse/config';
import type { ResourceSpec } from '../session/token-manager';

const GRAPH = 'https://graph.microsoft.com';

/** `User.Read` → `https://graph.microsoft.com/User.Read`: a refresh for Graph names its resource. */
export function graphResourceOf(config: Pick<Config, 'OPENID_GRAPH_SCOPES'>): ResourceSpec {
  const scopes = config.OPENID_GRAPH_SCOPES.length > 0 ? config.OPENID_GRAPH_SCOPES : ['User.Read'];
  return {
    resource: GRAPH,
    scope: scopes.map((scope) => (scope.includes('://') ? scope : `${GRAPH}/${scope}`)),
  };
}
