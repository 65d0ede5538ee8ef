import {
  type AccessDeniedResponse,
  type ApiErrorBody,
  apiErrorSchema,
  csrfHeader,
  type ErrorReason,
  type PublicConfig,
  type SessionResponse,
} from '@gatehouse/contracts';
import { HttpResponse } from 'msw';
import { defaultConfig } from '../data';

/**
 * The mocked BFF's state, shared by the per-resource handlers and reset after every test. Tests set
 * it (`bff.session = adele()`) instead of redefining handlers, so the handlers stay the contract's.
 */
export type MockBff = {
  session: SessionResponse | null;
  /** What `/api/auth/session` says when there is no session. */
  noSessionReason: ErrorReason;
  config: PublicConfig;
  photo: Blob | null;
  /** What `POST /api/auth/logout` answers (the provider's end-session URL, or the login page). */
  logoutRedirect: string;
  /** What `GET /api/auth/access-denied` answers: the refused sign-in's required groups… */
  deniedGroups: string[];
  /** …or the organisation that is not allowed. */
  deniedTenant: AccessDeniedResponse['tenant'];
  /** Every request the handlers saw, for assertions on headers. */
  requests: Array<{ method: string; path: string; csrf: string | null; credentials: RequestCredentials }>;
};

function initial(): MockBff {
  return {
    session: null,
    noSessionReason: 'no_session',
    config: defaultConfig(),
    photo: null,
    logoutRedirect: '/login',
    deniedGroups: [],
    deniedTenant: undefined,
    requests: [],
  };
}

export const bff: MockBff = initial();

export function resetBff() {
  Object.assign(bff, initial());
}

/** A JSON error exactly as the contract defines it (parsed, so a mock cannot drift from the schema). */
export function apiError(status: number, body: ApiErrorBody) {
  return HttpResponse.json(apiErrorSchema.parse(body), { status });
}

/** Records the request and answers 401 `csrf` without the header, as the BFF does. */
export function checkRequest(request: Request): Response | null {
  const url = new URL(request.url);
  const csrf = request.headers.get(csrfHeader.name);
  bff.requests.push({ method: request.method, path: url.pathname, csrf, credentials: request.credentials });
  if (csrf !== csrfHeader.value) {
    return apiError(401, { error: 'csrf', reason: 'missing_header', message: 'X-CSRF: 1 is required' });
  }
  return null;
}

export function loginRequired(reason: ErrorReason = bff.noSessionReason) {
  return apiError(401, { error: 'login_required', reason, message: 'Sign in again' });
}
