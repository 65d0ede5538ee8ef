/**
 * Claim paths as LibreChat's `OPENID_REQUIRED_ROLE_PARAMETER_PATH` accepts them (lodash `get`
 * syntax): `roles`, `realm_access.roles`, `resource_access["my-app"].roles`,
 * `resource_access.my-app.roles`, `groups[0]`. A claim whose name itself contains dots (a URL-style
 * claim) is matched whole first. Only own properties are followed, so `__proto__` or `constructor`
 * never reach a prototype.
 */
export type ClaimPathSegment = string | number;

export class ClaimPathError extends TypeError {
  constructor(path: string, problem: string) {
    super(
      `Claim path ${JSON.stringify(path)} ${problem}. Use dots and brackets, e.g. resource_access["my-app"].roles.`,
    );
    this.name = 'ClaimPathError';
  }
}

/** Splits a path into property names and array indexes; throws `ClaimPathError` if malformed. */
export function parseClaimPath(path: string): ClaimPathSegment[] {
  if (typeof path !== 'string' || path.trim() === '') throw new ClaimPathError(String(path), 'is empty');
  const segments: ClaimPathSegment[] = [];
  let i = 0;
  let expectName = true; // at the start or right after a dot
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = readBracket(path, i);
      segments.push(close.segment);
      i = close.end;
      expectName = false;
      if (i < path.length && path[i] !== '.' && path[i] !== '[') {
        throw new ClaimPathError(path, `has "${path[i]}" right after "]" at position ${i}`);
      }
      if (path[i] === '.') {
        i++;
        expectName = true;
        if (i === path.length) throw new ClaimPathError(path, 'ends with a dot');
      }
      continue;
    }
    if (!expectName) throw new ClaimPathError(path, `has an unexpected "${ch}" at position ${i}`);
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') {
      if (path[end] === ']') throw new ClaimPathError(path, `has a "]" without "[" at position ${end}`);
      end++;
    }
    if (end === i) throw new ClaimPathError(path, `has an empty name at position ${i}`);
    segments.push(path.slice(i, end));
    i = end;
    expectName = false;
    if (path[i] === '.') {
      i++;
      expectName = true;
      if (i === path.length) throw new ClaimPathError(path, 'ends with a dot');
    }
  }
  return segments;
}

function readBracket(path: string, open: number): { segment: ClaimPathSegment; end: number } {
  const quote = path[open + 1];
  if (quote === '"' || quote === "'") {
    let value = '';
    let i = open + 2;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      value += path[i];
      i++;
    }
    if (path[i] !== quote || path[i + 1] !== ']') throw new ClaimPathError(path, `has an unclosed [${quote}`);
    return { segment: value, end: i + 2 };
  }
  const close = path.indexOf(']', open);
  if (close === -1) throw new ClaimPathError(path, `has an unclosed "[" at position ${open}`);
  const inner = path.slice(open + 1, close).trim();
  if (inner === '') throw new ClaimPathError(path, `has empty brackets at position ${open}`);
  return { segment: /^\d+$/.test(inner) ? Number(inner) : inner, end: close + 1 };
}

/** The value at `path` in `claims`, or undefined. Throws `ClaimPathError` only for a malformed path. */
export function readClaimPath(claims: unknown, path: string): unknown {
  if (isObject(claims) && Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const segment of parseClaimPath(path)) {
    if (Array.isArray(current)) {
      const index =
        typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      current = Number.isInteger(index) && index < current.length ? current[index] : undefined;
    } else if (isObject(current) && Object.hasOwn(current, String(segment))) {
      current = current[String(segment)];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * A claim value as a list of strings: an array keeps its non-empty strings; a string is split on
 * whitespace and commas (`"a b,c"` → `["a","b","c"]`); anything else is an empty list.
 */
export function toStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
