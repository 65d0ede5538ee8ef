/**
 * Keyset paging for conversations and their messages: pure functions over positions (a time in ms,
 * then an id to break ties). A cursor is a position, opaque to the client (base64url), so an item
 * added or moved while the user pages shifts nothing: a conversation updated meanwhile moves to the
 * top of the list, a message posted meanwhile is newer than every page of earlier ones.
 */
import { conversationPageLimits } from '@gatehouse/contracts';
import { AppError } from '../http/errors';

export interface Position {
  /** ms since the epoch. */
  at: number;
  id: string;
}

/** Newest first; the id breaks ties so that the order, and so every page, is stable. */
export function newestFirst(a: Position, b: Position): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at}.${position.id}`).toString('base64url');
}

/** The position a cursor names, or undefined for anything this API did not give out. */
export function decodeCursor(cursor: string): Position | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  // Ids are UUIDs when the API makes them; rows from elsewhere (an import, an old fixture) may not be.
  const match = /^(\d{1,16})\.([A-Za-z0-9_:-]{1,100})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { at: Number(match[1]), id: match[2]! } : undefined;
}

/** A `limit` query parameter: `limits.default` when absent, else a whole number from 1 to `limits.max`. */
export function parseLimit(raw: string | undefined, limits: { default: number; max: number }): number {
  if (raw === undefined) return limits.default;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > limits.max) {
    throw new AppError('invalid_request', `limit: a whole number from 1 to ${limits.max}.`);
  }
  return limit;
}

/** A cursor query parameter (`name`, as the caller's API calls it), or 400 naming it. */
export function parseCursor(raw: string | undefined, name: string): Position | undefined {
  if (raw === undefined) return undefined;
  const position = decodeCursor(raw);
  if (!position) {
    throw new AppError(
      'invalid_request',
      `${name}: not one this API gave out (send it as it came, or start again without ${name}).`,
    );
  }
  return position;
}

export interface PageRequest {
  limit: number;
  after?: Position;
}

/** `limit` and `cursor` of `GET /api/conversations`, or 400 `invalid_request` naming the parameter. */
export function parsePageRequest(query: {
  limit?: string | undefined;
  cursor?: string | undefined;
}): PageRequest {
  const limit = parseLimit(query.limit, conversationPageLimits);
  const after = parseCursor(query.cursor, 'cursor');
  return after ? { limit, after } : { limit };
}

/** One page of `positions` (any order), newest first, and the cursor of the next page. */
export function pageOf(
  positions: readonly Position[],
  page: PageRequest,
): { positions: Position[]; nextCursor: string | null } {
  const sorted = [...positions].sort(newestFirst);
  const { after } = page;
  const start = after ? sorted.findIndex((position) => newestFirst(position, after) > 0) : 0;
  if (start < 0) return { positions: [], nextCursor: null };
  const onPage = sorted.slice(start, start + page.limit);
  const last = onPage.at(-1);
  return {
    positions: onPage,
    nextCursor: last && start + page.limit < sorted.length ? encodeCursor(last) : null,
  };
}
