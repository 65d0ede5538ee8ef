import {
  groupMembersSchema,
  principalSearchLimits,
  principalTypes,
  searchResponseSchema,
  sharingRoutes,
} from '@gatehouse/contracts';
import { delay, HttpResponse, http } from 'msw';
import { apiError, bff, checkRequest, loginRequired } from '../bff';
import { sharingBff } from '../sharing-bff';

/** msw path patterns from the contract's templates (`:id` is msw's syntax too). */
const pattern = (template: string) => `*${template}`;

export const principalHandlers = [
  http.get(pattern(sharingRoutes.search), async ({ request }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    if (!bff.config.peopleSearch) {
      return apiError(404, { error: 'feature_disabled', message: 'People search is turned off' });
    }
    const url = new URL(request.url);
    const q = url.searchParams.get('q') ?? '';
    const sources = url.searchParams.get('sources') ?? 'all';
    const entry = { q, sources, aborted: false };
    sharingBff.searchRequests.push(entry);
    request.signal.addEventListener('abort', () => {
      entry.aborted = true;
    });
    if (q.trim().length < principalSearchLimits.minQuery) {
      return apiError(400, { error: 'invalid_request', message: 'q: at least 2 characters' });
    }
    const types = (url.searchParams.get('types') ?? principalTypes.join(',')).split(',');
    const limit = Number(url.searchParams.get('limit') ?? principalSearchLimits.defaultLimit);
    const wait = sources === 'local' ? sharingBff.localSearchDelayMs : sharingBff.searchDelayMs;
    if (wait > 0) await delay(wait);
    const needle = q.trim().toLowerCase();
    const results = sharingBff.directory
      .filter((result) => types.includes(result.type))
      .filter((result) => sources === 'all' || result.source === sources)
      .filter((result) => `${result.name} ${result.email ?? ''}`.toLowerCase().includes(needle))
      .slice(0, limit);
    // Only the directory can be partly unreachable.
    const partial = sharingBff.partialReasons !== null && sources !== 'local';
    return HttpResponse.json(
      searchResponseSchema.parse({
        results,
        partial,
        ...(partial ? { reasons: sharingBff.partialReasons } : {}),
      }),
    );
  }),

  http.get(pattern(sharingRoutes.principalPhoto), ({ request, params }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    const photo = sharingBff.photos[`${params.source}:${params.type}:${params.id}`];
    if (!photo) return apiError(404, { error: 'not_found', message: 'No photo' });
    return new HttpResponse(photo, { headers: { 'Content-Type': photo.type || 'image/jpeg' } });
  }),

  http.get(pattern(sharingRoutes.groupMembers), ({ request, params }) => {
    const refused = checkRequest(request);
    if (refused) return refused;
    if (!bff.session) return loginRequired();
    const members = sharingBff.groupMembers[`${params.source}:${params.id}`];
    if (!members) return apiError(404, { error: 'not_found', message: 'No such group' });
    const start = Number(new URL(request.url).searchParams.get('cursor') ?? 0);
    const end = start + sharingBff.groupPageSize;
    return HttpResponse.json(
      groupMembersSchema.parse({
        members: members.slice(start, end),
        ...(end < members.length ? { nextCursor: String(end) } : {}),
      }),
    );
  }),
];
