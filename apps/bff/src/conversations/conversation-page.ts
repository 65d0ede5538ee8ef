/**
 * Paging of the conversation list, newest first: pure functions over (updatedAt, id) keys. The cursor
 * is the last key of a page, opaque to the client (base64url), so a conversation updated while the
 * user pages moves to the top instead of shifting every later page by one.
 */
import { conversationPageLimits } from '@gatehouse/contracts';
import { AppError } from '../http/errors';

export interface ListKey {
  id: string;
  /** ms since the epoch. */
  updatedAt: number;
}

export interface PageRequest {
  limit: number;
  after?: ListKey;
}

/** Newest first; the id breaks ties so that the order, and so every page, is stable. */
export function compareKeys(a: ListKey, b: ListKey): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function encodeCursor(key: ListKey): string {
  return Buffer.from(`${key.updatedAt}.${key.id}`).toString('base64url');
}

/** The key a cursor names, or undefined for anything this list did not give out. */
export function decodeCursor(cursor: string): ListKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const match = /^(\d{1,16})\.([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { updatedAt: Number(match[1]), id: match[2]! } : undefined;
}

/** `limit` and `cursor` of `GET /api/conversations`, or 400 `invalid_request` naming the parameter. */
export function parsePageRequest(query: {
  limit?: string | undefined;
  cursor?: string | undefined;
}): PageRequest {
  let limit: number = conversationPageLimits.default;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > conversationPageLimits.max) {
      throw new AppError('invalid_request', `limit: a whole number from 1 to ${conversationPageLimits.max}.`);
    }
  }
  if (query.cursor === undefined) return { limit };
  const after = decodeCursor(query.cursor);
  if (!after) {
    throw new AppError(
      'invalid_request',
      'cursor: not one this list gave out (use nextCursor as it came, or start again without cursor).',
    );
  }
  return { limit, after };
}

/** One page of `keys` (any order): the keys on it, newest first, and the cursor of the next page. */
export function pageOf(
  keys: readonly ListKey[],
  page: PageRequest,
): { keys: ListKey[]; nextCursor: string | null } {
  const sorted = [...keys].sort(compareKeys);
  const { after } = page;
  const start = after ? sorted.findIndex((key) => compareKeys(key, after) > 0) : 0;
  if (start < 0) return { keys: [], nextCursor: null };
  const onPage = sorted.slice(start, start + page.limit);
  const last = onPage.at(-1);
  return { keys: onPage, nextCursor: last && start + page.limit < sorted.length ? encodeCursor(last) : null };
}
