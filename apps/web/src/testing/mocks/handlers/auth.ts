import {
  accessDeniedResponseSchema,
  logoutResponseSchema,
  routes,
  sessionResponseSchema,
} from '@gatehouse/contracts';
import { HttpResponse, http } from 'msw';
import { bff, checkRequest, loginRequired } from '../bff';

export const authHandlers = [
  http.get(`*${routes.session}`, ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    return HttpResponse.json(sessionResponseSchema.parse(bff.session));
  }),
  http.get(`*${routes.accessDenied}`, ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    return HttpResponse.json(
      accessDeniedResponseSchema.parse({
        requiredGroups: bff.deniedGroups,
        ...(bff.deniedTenant ? { tenant: bff.deniedTenant } : {}),
      }),
    );
  }),
  http.post(`*${routes.logout}`, ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    bff.session = null;
    bff.noSessionReason = 'signed_out';
    return HttpResponse.json(logoutResponseSchema.parse({ redirect: bff.logoutRedirect }));
  }),
];
