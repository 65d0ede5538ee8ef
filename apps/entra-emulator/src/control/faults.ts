/**
 * Injected faults. A fault matches requests by route (a name or a path pattern), optionally by method
 * and, on the token endpoint, by grant type; it adds latency and/or answers with an error status for the
 * next `count` matching requests (forever when `count` is left out).
 */
export interface FaultSpec {
  /**
   * `token`, `authorize`, `keys`, `discovery`, `graph` (every Graph request), `download` (every download
   * URL, `/_download/*`), or a path pattern where
   * `*` matches any characters and `{tenant}` one path segment, e.g. `/v1.0/users*` or `/v1.0/me`.
   */
  route: string;
  /** Answer with this status (429, 500, 503, ...) instead of handling the request. */
  status?: number;
  /** How many matching requests the fault applies to; omitted = until cleared. */
  count?: number;
  /** `Retry-After` seconds sent with the error status. */
  retryAfter?: number;
  /** Delay before the request is handled (or failed). */
  latencyMs?: number;
  /**
   * Sends the response's status, headers and first `cutAfterBytes` body bytes, then drops the
   * connection (a download that breaks mid-way).
   */
  cutAfterBytes?: number;
  method?: string;
  /** Only token requests with this `grant_type` (e.g. `refresh_token`). */
  grantType?: string;
  /**
   * Token endpoint only: the response's ID token is tampered with — signed by the emulator but from
   * another issuer, for another audience or already expired; a broken signature; or `alg: none`.
   */
  idToken?: IdTokenTampering;
  /**
   * Token endpoint only: requests whose `scope` names this resource (e.g. the SharePoint origin) get
   * AADSTS500011 `invalid_resource`, as from a tenant where that resource principal does not exist.
   */
  unknownResource?: string;
  /**
   * Conditional Access step-up on route `token` (refreshes) or `graph`: requests answer with a claims
   * challenge demanding this authentication context (`acrs`, e.g. `c1`) — AADSTS50076
   * `interaction_required` with `claims` from the token endpoint, 401 `insufficient_claims` from Graph —
   * until a sign-in at /authorize carries a `claims` parameter asking for it. `count` does not apply.
   */
  demandClaims?: string;
}

export const idTokenTamperings = [
  'other_issuer',
  'bad_signature',
  'alg_none',
  'other_audience',
  'expired',
] as const;
export type IdTokenTampering = (typeof idTokenTamperings)[number];

export interface FaultHit {
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  cutAfterBytes?: number;
  idToken?: IdTokenTampering;
  unknownResource?: string;
}

export interface Faults {
  add(spec: FaultSpec): string;
  remove(id: string): void;
  clear(): void;
  list(): Array<FaultSpec & { id: string; remaining: number | null }>;
  /** The fault to apply to this request, if any; consumes one use of it. */
  take(request: {
    path: string;
    method: string;
    grantType?: string | undefined;
    /** The token request's `scope` (for `unknownResource`). */
    scope?: string | undefined;
  }): FaultHit | undefined;
  /** The authentication context a `demandClaims` fault on `route` demands, if any (not consumed). */
  claimsDemand(route: 'token' | 'graph'): string | undefined;
  /** A sign-in carried these `acrs` values: the demands they meet are lifted. */
  satisfyClaims(acrs: readonly string[]): void;
}

const NAMED_ROUTES: Record<string, string> = {
  token: '/{tenant}/oauth2/v2.0/token',
  authorize: '/{tenant}/oauth2/v2.0/authorize',
  keys: '/{tenant}/discovery/v2.0/keys',
  discovery: '/{tenant}/v2.0/.well-known/openid-configuration',
  graph: '/v1.0/*',
  download: '/_download/*',
};

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  pattern: RegExp;
  remaining: number;
}

export function createFaults(): Faults {
  let faults: ActiveFault[] = [];
  let next = 1;
  return {
    add(spec) {
      validate(spec);
      const id = `fault-${next++}`;
      faults.push({
        id,
        spec,
        pattern: compile(spec.route),
        remaining: spec.count ?? Number.POSITIVE_INFINITY,
      });
      return id;
    },
    remove(id) {
      faults = faults.filter((f) => f.id !== id);
    },
    clear() {
      faults = [];
    },
    list: () =>
      faults.map((f) => ({
        ...f.spec,
        id: f.id,
        remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      })),
    take({ path, method, grantType, scope }) {
      const fault = faults.find(
        (f) =>
          f.spec.demandClaims === undefined &&
          f.pattern.test(path) &&
          (!f.spec.method || f.spec.method.toUpperCase() === method.toUpperCase()) &&
          (!f.spec.grantType || f.spec.grantType === grantType) &&
          (!f.spec.unknownResource ||
            (scope ?? '').toLowerCase().includes(f.spec.unknownResource.toLowerCase())),
      );
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
      const { status, retryAfter, latencyMs, cutAfterBytes, idToken, unknownResource } = fault.spec;
      return {
        ...(status !== undefined ? { status } : {}),
        ...(idToken !== undefined ? { idToken } : {}),
        ...(unknownResource !== undefined ? { unknownResource } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
        ...(latencyMs !== undefined ? { latencyMs } : {}),
        ...(cutAfterBytes !== undefined ? { cutAfterBytes } : {}),
      };
    },
    claimsDemand: (route) => faults.find((f) => f.spec.route === route)?.spec.demandClaims,
    satisfyClaims(acrs) {
      faults = faults.filter((f) => f.spec.demandClaims === undefined || !acrs.includes(f.spec.demandClaims));
    },
  };
}

/** Whether a fault on this route needs the token request's grant type, read inside the token endpoint. */
export function isTokenRoute(path: string): boolean {
  return /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path);
}

function compile(route: string): RegExp {
  const pattern = NAMED_ROUTES[route] ?? route;
  const source = pattern
    .split(/(\*|\{tenant\})/)
    .map((part) =>
      part === '*' ? '.*' : part === '{tenant}' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

function validate(spec: FaultSpec): void {
  if (typeof spec.route !== 'string' || spec.route.length === 0) {
    throw new TypeError(
      'fault.route is required: a route name (token, authorize, keys, discovery, graph, download) or a path pattern such as /v1.0/users*.',
    );
  }
  if (!(spec.route in NAMED_ROUTES) && !spec.route.startsWith('/')) {
    throw new TypeError(
      `fault.route "${spec.route}" is neither a route name (${Object.keys(NAMED_ROUTES).join(', ')}) nor a path starting with "/".`,
    );
  }
  if (
    spec.status !== undefined &&
    (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)
  ) {
    throw new TypeError(`fault.status must be an HTTP error status (400-599), got ${spec.status}.`);
  }
  if (spec.idToken !== undefined && !(idTokenTamperings as readonly string[]).includes(spec.idToken)) {
    throw new TypeError(
      `fault.idToken must be one of ${idTokenTamperings.join(', ')}, got ${JSON.stringify(spec.idToken)}.`,
    );
  }
  if (
    spec.unknownResource !== undefined &&
    (typeof spec.unknownResource !== 'string' || spec.unknownResource.length === 0)
  ) {
    throw new TypeError(
      'fault.unknownResource must be a resource URI or origin, e.g. https://contoso.sharepoint.com.',
    );
  }
  if ((spec.idToken !== undefined || spec.unknownResource !== undefined) && spec.route !== 'token') {
    throw new TypeError(
      'fault.idToken and fault.unknownResource apply to the token endpoint: use route "token".',
    );
  }
  if (spec.demandClaims !== undefined) {
    if (typeof spec.demandClaims !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(spec.demandClaims)) {
      throw new TypeError(
        `fault.demandClaims must be an authentication context id such as c1, got ${JSON.stringify(spec.demandClaims)}.`,
      );
    }
    if (spec.route !== 'token' && spec.route !== 'graph') {
      throw new TypeError('fault.demandClaims applies to route "token" (refreshes) or "graph".');
    }
    if (Object.keys(spec).some((key) => !['route', 'demandClaims'].includes(key))) {
      throw new TypeError('fault.demandClaims goes with a route only: it lasts until a sign-in meets it.');
    }
    return;
  }
  if (
    spec.status === undefined &&
    spec.latencyMs === undefined &&
    spec.cutAfterBytes === undefined &&
    spec.idToken === undefined &&
    spec.unknownResource === undefined
  ) {
    throw new TypeError(
      'A fault needs a status, a latencyMs, a cutAfterBytes, an idToken or an unknownResource, or a demandClaims.',
    );
  }
  if (spec.status !== undefined && spec.cutAfterBytes !== undefined) {
    throw new TypeError(
      'fault.cutAfterBytes cuts a response the emulator sends, so it cannot go with a status.',
    );
  }
  for (const key of ['count', 'retryAfter', 'latencyMs', 'cutAfterBytes'] as const) {
    const value = spec[key];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new TypeError(`fault.${key} must be a non-negative number, got ${value}.`);
    }
  }
}
