import type { CloudId } from '@gatehouse/config';

/** Settings tests may change at run time through the control API. */
export interface EmulatorSettings {
  /**
   * The Microsoft cloud the emulator presents itself as: its metadata's `cloud_instance_name` and
   * `msgraph_host`, and the Graph resource its scopes and tokens name (`https://graph.microsoft.us`).
   */
  cloud: CloudId;
  accessTokenLifetimeSeconds: number;
  /** A refresh token unused for this long fails with AADSTS700082 (Entra: 90 days). */
  refreshTokenInactivitySeconds: number;
  /** `allow` (Entra): a rotated refresh token stays valid. `revoke`: reusing one revokes its whole family. */
  refreshTokenReuse: 'allow' | 'revoke';
  tokenEndpointDown: boolean;
}

export const defaultSettings: EmulatorSettings = {
  cloud: 'global',
  accessTokenLifetimeSeconds: 3600,
  refreshTokenInactivitySeconds: 90 * 24 * 3600,
  refreshTokenReuse: 'allow',
  tokenEndpointDown: false,
};
