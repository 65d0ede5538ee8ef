import { publicConfigSchema, routes } from '@gatehouse/contracts';
import { HttpResponse, http } from 'msw';
import { bff, checkRequest } from '../bff';

export const configHandlers = [
  http.get(`*${routes.config}`, ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    return HttpResponse.json(publicConfigSchema.parse(bff.config));
  }),
];
