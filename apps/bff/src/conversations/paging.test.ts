import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type Position, pageOf, parsePageRequest } from './paging';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** 7 conversations; 3 and 4 were updated at the same instant. */
const keys: Position[] = [
  { id: id(1), at: 100 },
  { id: id(2), at: 200 },
  { id: id(3), at: 300 },
  { id: id(4), at: 300 },
  { id: id(5), at: 500 },
  { id: id(6), at: 600 },
  { id: id(7), at: 700 },
];

function walk(all: Position[], limit: number): string[][] {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = pageOf(all, parsePageRequest({ limit: String(limit), ...(cursor ? { cursor } : {}) }));
    pages.push(page.positions.map((k) => k.id.slice(-1)));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('conversation list pages', () => {
  it('walks every conversation once, newest first, ties by id, the last page without a cursor', () => {
    expect(walk(keys, 3)).toEqual([['7', '6', '5'], ['3', '4', '2'], ['1']]);
    expect(walk(keys, 7)).toEqual([['7', '6', '5', '3', '4', '2', '1']]);
    expect(walk(keys, 200)).toEqual([['7', '6', '5', '3', '4', '2', '1']]);
    expect(pageOf([], { limit: 5 })).toEqual({ positions: [], nextCursor: null });
  });

  it('moves a conversation updated between two pages to the top, without repeating or skipping others', () => {
    const first = pageOf(keys, { limit: 3 });
    const touched = keys.map((k) => (k.id === id(2) ? { ...k, at: 900 } : k));
    const second = pageOf(touched, parsePageRequest({ limit: '3', cursor: first.nextCursor! }));
    expect(second.positions.map((k) => k.id.slice(-1))).toEqual(['3', '4', '1']);
    expect(second.nextCursor).toBeNull();
  });

  it('round-trips its cursor and refuses any other', () => {
    expect(decodeCursor(encodeCursor(keys[3]!))).toEqual(keys[3]);
    expect(decodeCursor(encodeCursor({ at: 5, id: 'conv-plan' }))).toEqual({ at: 5, id: 'conv-plan' });
    const encoded = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      '',
      'x',
      '!!',
      encoded('300.'),
      encoded('300.a b'),
      encoded('soon.id'),
      'a'.repeat(201),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
      expect(() => parsePageRequest({ cursor: bad })).toThrow(/^cursor: not one this API gave out/);
    }
  });

  it('takes limit from 1 to 500 (default 500), naming the parameter otherwise', () => {
    expect(parsePageRequest({})).toEqual({ limit: 500 });
    expect(parsePageRequest({ limit: '1' }).limit).toBe(1);
    expect(parsePageRequest({ limit: '500' }).limit).toBe(500);
    for (const bad of ['0', '501', '-1', '2.5', 'ten', '']) {
      expect(() => parsePageRequest({ limit: bad })).toThrow('limit: a whole number from 1 to 500.');
    }
  });
});
