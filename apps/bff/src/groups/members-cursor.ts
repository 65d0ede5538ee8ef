import { AppError } from '../http/errors';

/**
 * The `cursor` of a members page: an offset for local groups; for Entra groups which list
 * (members, then owners) and Graph's `$skiptoken`. Opaque to the browser (base64url JSON), and only
 * ever a token: the BFF rebuilds every Graph URL itself, so a cursor cannot point anywhere else.
 */
export type MembersCursor =
  | { kind: 'local'; offset: number }
  | { kind: 'entra'; relation: 'members' | 'owners'; skipToken?: string };

export function encodeMembersCursor(cursor: MembersCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeMembersCursor(text: string | undefined): MembersCursor | undefined {
  if (text === undefined || text === '') return undefined;
  const invalid = () => new AppError('invalid_request', 'cursor: not a cursor from a previous page.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const v = value as Record<string, unknown>;
  if (
    v?.kind === 'local' &&
    Number.isInteger(v.offset) &&
    (v.offset as number) >= 0 &&
    (v.offset as number) < 1e6
  ) {
    return { kind: 'local', offset: v.offset as number };
  }
  if (
    v?.kind === 'entra' &&
    (v.relation === 'members' || v.relation === 'owners') &&
    (v.skipToken === undefined || (typeof v.skipToken === 'string' && v.skipToken.length <= 2000))
  ) {
    return {
      kind: 'entra',
      relation: v.relation,
      ...(typeof v.skipToken === 'string' ? { skipToken: v.skipToken } : {}),
    };
  }
  throw invalid();
}
