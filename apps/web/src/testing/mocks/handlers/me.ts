import { routes } from '@gatehouse/contracts';
import { HttpResponse, http } from 'msw';
import { apiError, bff, checkRequest, loginRequired } from '../bff';

export const meHandlers = [
  http.get(`*${routes.mePhoto}`, ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    if (!bff.photo) return apiError(404, { error: 'not_found', message: 'This user has no photo' });
    return new HttpResponse(bff.photo, { headers: { 'Content-Type': bff.photo.type || 'image/jpeg' } });
  }),
];
