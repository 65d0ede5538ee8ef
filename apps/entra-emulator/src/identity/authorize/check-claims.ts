import type { EmulatorContext } from '../../context';
import { errors } from '../oauth-error';
import type { PartialAuthorizeRequest } from './authorize-request';

/**
 * The `claims` request parameter (OIDC Core §5.5), as Entra reads it: the authentication contexts
 * asked for (`access_token.acrs`, `{"essential":true,"value":"c1"}` or `"values":[…]`) answer a
 * Conditional Access claims challenge; `access_token.xms_cc` names client capabilities (`cp1`: the
 * client handles CAE challenges). Anything else in it is ignored, as Entra does.
 */
export function checkClaims(_ctx: EmulatorContext, request: PartialAuthorizeRequest): void {
  const requested = parseClaimsParameter(request.params.claims);
  request.acrs = requested.acrs;
  request.clientCapabilities = requested.clientCapabilities;
}

export interface RequestedClaims {
  acrs: string[];
  clientCapabilities: string[];
}

/** Reads a `claims` parameter (authorize or token request); `undefined` or empty asks for nothing. */
export function parseClaimsParameter(raw: string | undefined): RequestedClaims {
  if (raw === undefined || raw.trim() === '') return { acrs: [], clientCapabilities: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw errors.invalidRequest(90100, "The 'claims' parameter is not valid JSON.");
  }
  if (!isObject(parsed)) throw errors.invalidRequest(90100, "The 'claims' parameter must be a JSON object.");
  const access = isObject(parsed.access_token) ? parsed.access_token : {};
  const id = isObject(parsed.id_token) ? parsed.id_token : {};
  return {
    acrs: [...new Set([...valuesOf(access.acrs), ...valuesOf(id.acrs)])],
    clientCapabilities: valuesOf(access.xms_cc).map((v) => v.toLowerCase()),
  };
}

function valuesOf(request: unknown): string[] {
  if (!isObject(request)) return [];
  const values = [
    ...(typeof request.value === 'string' ? [request.value] : []),
    ...(Array.isArray(request.values) ? request.values : []),
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
