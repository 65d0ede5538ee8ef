/**
 * Building blocks of the env schema. Each variable is a zod schema from `string | undefined` (already
 * trimmed, unquoted, empty → undefined) to its typed value. A bad value becomes one zod issue whose
 * `params.fix` says how to repair it, so `load.ts` can turn it into a ConfigIssue.
 */
import { z } from 'zod';
import { evaluateArithmetic } from './arithmetic';
import { show } from './issues';
import { isSecureOrLoopback, tryParseUrl, withoutTrailingSlash } from './urls';

const invalidMark = Symbol('invalid');

/** What a parser returns instead of a value when the value is wrong. */
export interface Invalid {
  readonly [invalidMark]: true;
  readonly problem: string;
  readonly fix: string;
}

export function invalid(problem: string, fix: string): Invalid {
  return { [invalidMark]: true, problem, fix };
}

function isInvalid(result: unknown): result is Invalid {
  return typeof result === 'object' && result !== null && invalidMark in result;
}

export function variable<T>(parse: (value: string | undefined) => T | Invalid) {
  return z
    .string()
    .optional()
    .transform((value, ctx): T => {
      const result = parse(value);
      if (!isInvalid(result)) return result;
      ctx.addIssue({ code: 'custom', message: result.problem, params: { fix: result.fix } });
      return z.NEVER;
    });
}

/** LibreChat's `isEnabled`: `true` in any letter case turns it on, anything else (or nothing) is off. */
export function flag() {
  return variable((value) => value?.toLowerCase() === 'true');
}

export function text(defaultValue: string) {
  return variable((value) => value ?? defaultValue);
}

export function optionalText() {
  return variable((value) => value);
}

export interface RequiredOptions {
  /** How to obtain the value, shown when it is missing. */
  missing: string;
  /** Text copied from the docs rather than a real value. */
  placeholder?: RegExp;
  placeholderFix?: string;
}

export function required(options: RequiredOptions) {
  return variable((value) => {
    if (value === undefined) return invalid('is not set', options.missing);
    if (options.placeholder?.test(value)) {
      return invalid(
        'still holds the placeholder text from the docs',
        options.placeholderFix ?? options.missing,
      );
    }
    return value;
  });
}

export interface IntegerOptions {
  default: number;
  min: number;
  max: number;
  /** What the number counts, for messages: "seconds", "characters". */
  unit: string;
}

export function integer(options: IntegerOptions) {
  return variable((value) => {
    if (value === undefined) return options.default;
    const number = /^[-+]?\d+$/.test(value) ? Number(value) : Number.NaN;
    const range = `a whole number of ${options.unit} from ${options.min} to ${options.max}`;
    if (!Number.isSafeInteger(number)) return invalid(`is ${show(value)}, not ${range}`, `write ${range}`);
    if (number < options.min || number > options.max) {
      return invalid(`is ${number}, outside ${options.min}–${options.max} ${options.unit}`, `write ${range}`);
    }
    return number;
  });
}

export function port(defaultValue: number) {
  return integer({ default: defaultValue, min: 1, max: 65535, unit: 'port number' });
}

/** Milliseconds, as a number or LibreChat-style arithmetic (`1000 * 60 * 15`). */
export function milliseconds(defaultValue: number) {
  return variable((value) => {
    if (value === undefined) return defaultValue;
    const number = evaluateArithmetic(value);
    if (number === undefined) {
      return invalid(
        `is ${show(value)}, not a number of milliseconds`,
        `write milliseconds as a number or a product, e.g. ${defaultValue} or 1000 * 60 * 15`,
      );
    }
    if (number < 1000) {
      return invalid(
        `is ${show(value)} = ${number} ms, less than a second`,
        'write a duration in milliseconds (1000 * 60 * 15 is 15 minutes)',
      );
    }
    return Math.round(number);
  });
}

const byteUnits: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A size in bytes: `536870912`, `512 MiB`, `1 GB` or a product such as `512 * 1024 * 1024`. */
export function bytes(defaultValue: number) {
  return variable((value) => {
    if (value === undefined) return defaultValue;
    const withUnit = /^(\d+(?:\.\d+)?)\s*([kmg]i?b|b)$/i.exec(value);
    const number =
      withUnit?.[1] && withUnit[2]
        ? Number(withUnit[1]) * (byteUnits[withUnit[2].toLowerCase()] ?? Number.NaN)
        : evaluateArithmetic(value);
    if (number === undefined || !Number.isFinite(number) || number < 1) {
      return invalid(
        `is ${show(value)}, not a size in bytes`,
        'write a number of bytes or a size with a unit, e.g. 536870912 or 512 MiB',
      );
    }
    return Math.floor(number);
  });
}

export function oneOf<const T extends string>(values: readonly T[], defaultValue: T) {
  return variable((value): T | Invalid => {
    if (value === undefined) return defaultValue;
    const match = values.find((candidate) => candidate === value.toLowerCase());
    return (
      match ??
      invalid(`is ${show(value)}, not one of ${values.join(', ')}`, `use one of ${values.join(', ')}`)
    );
  });
}

/** A comma-separated list, trimmed, blanks dropped (`OPENID_REQUIRED_ROLE`, `OPENID_AUDIENCE`). */
export function commaList() {
  return variable((value): string[] => splitList(value, /,/));
}

export function splitList(value: string | undefined, separator: RegExp): string[] {
  return (value ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

export interface OriginOptions {
  default: string;
  example: string;
}

/** `scheme://host[:port]`, returned without a trailing slash (DOMAIN_SERVER). */
export function origin(options: OriginOptions) {
  return variable((value) => (value === undefined ? options.default : parseOrigin(value, options.example)));
}

export function parseOrigin(value: string, example: string): string | Invalid {
  const url = tryParseUrl(value);
  const fix = `write just the scheme, host and port, e.g. ${example}`;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return invalid(`is ${show(value)}, not an http(s) origin`, fix);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    return invalid(
      `is ${show(value)}, which has more than an origin (a path, query or credentials)`,
      `${fix}; Gatehouse is served from the root of its origin`,
    );
  }
  if (url.hostname === 'your-domain.com') {
    return invalid(
      'still holds the placeholder text from the docs',
      `write the origin people open Gatehouse at, e.g. ${example}`,
    );
  }
  if (!isSecureOrLoopback(url)) {
    return invalid(
      `is ${show(value)}: plain http on a host other than localhost`,
      'serve Gatehouse over https (the session cookie is `__Host-` and Secure, which browsers only keep over https or on localhost)',
    );
  }
  return url.origin;
}

export interface HttpUrlOptions {
  example: string;
  /** Why https is needed, appended to the fix. */
  why: string;
}

/** An absolute https URL (http for loopback hosts), without a trailing slash; undefined when unset. */
export function optionalHttpUrl(options: HttpUrlOptions) {
  return variable((value) => (value === undefined ? undefined : parseHttpUrl(value, options)));
}

export function parseHttpUrl(value: string, options: HttpUrlOptions): string | Invalid {
  const url = tryParseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || /\s/.test(value)) {
    return invalid(
      `is ${show(value)}, not an absolute http(s) URL`,
      `write a full URL such as ${options.example}`,
    );
  }
  if (!isSecureOrLoopback(url)) {
    return invalid(
      `is ${show(value)}: plain http is only allowed for localhost`,
      `use https (${options.why}), e.g. ${options.example}`,
    );
  }
  if (url.hash) return invalid(`is ${show(value)}, which has a #fragment`, `remove the part from # on`);
  return withoutTrailingSlash(url.toString());
}
