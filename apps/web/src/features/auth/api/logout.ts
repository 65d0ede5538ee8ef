import { type LogoutResponse, logoutResponseSchema, routes } from '@gatehouse/contracts';
import type { ApiClient } from '../../../lib/api-client';

/** Ends the session at the BFF; the answer says where the browser goes next. */
export function logout(api: ApiClient): Promise<LogoutResponse> {
  return api.post(routes.logout, {}, logoutResponseSchema);
}
