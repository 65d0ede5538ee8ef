import { type Config, detectCloud, graphBaseUrlOf } from '@gatehouse/config';

/**
 * Why the provider's metadata does not fit the configuration's Microsoft cloud, or undefined. Entra's
 * discovery document names its cloud (`cloud_instance_name`, `msgraph_host`); when that is not the
 * cloud the configuration sends tokens to (a DoD tenant configured for GCC High, which share a login
 * host), discovery fails: nobody signs in, so no token goes to another cloud's hosts.
 */
export function cloudMismatch(
  config: Pick<Config, 'OPENID_ISSUER' | 'GRAPH_BASE_URL' | 'cloud'>,
  metadata: Readonly<Record<string, unknown>>,
): string | undefined {
  const detected = detectCloud({ issuer: config.OPENID_ISSUER, metadata });
  if (detected.conflict) {
    return `OPENID_ISSUER: ${detected.conflict}. Write the issuer of your tenant's cloud; \`pnpm run doctor\` shows the details.`;
  }
  const cloud = detected.cloud;
  if (!cloud || cloud.id === config.cloud.cloud.id) return undefined;
  return `The provider's metadata says ${cloud.name} (${detected.from.join('; ')}), but the configuration is for ${config.cloud.cloud.name} (${config.cloud.from}; Graph at ${config.GRAPH_BASE_URL}): Gatehouse sends no token to another cloud's hosts. Set GRAPH_BASE_URL=${graphBaseUrlOf(cloud)}; \`pnpm run doctor\` shows the details.`;
}
