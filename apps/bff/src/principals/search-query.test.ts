import { describe, expect, it } from 'vitest';
import {
  directorySearch,
  escapeSearchText,
  likeContains,
  normaliseQuery,
  peopleSearch,
} from './search-query';

describe('Graph $search escaping', () => {
  it.each([
    ['adele', 'adele'],
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['\\"', '\\\\\\"'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeSearchText(input)).toBe(expected);
  });

  it('puts every property clause in quotes, joined by OR', () => {
    expect(directorySearch(['displayName', 'mail'], 'ad')).toBe('"displayName:ad" OR "mail:ad"');
  });

  it('keeps a typed OR inside the clause as text', () => {
    expect(directorySearch(['displayName'], 'sales OR marketing')).toBe('"displayName:sales OR marketing"');
  });

  it('cannot be broken out of: a quote in the query stays escaped inside the clause', () => {
    const expression = directorySearch(['displayName'], 'x" OR "mail:admin');
    expect(expression).toBe('"displayName:x\\" OR \\"mail:admin"');
    // Outside escaped quotes there are exactly the two quotes that delimit the one clause.
    expect(expression.replace(/\\./g, '').match(/"/g)).toHaveLength(2);
  });

  it('cannot be broken out of with a trailing backslash either', () => {
    const expression = directorySearch(['displayName'], 'x\\');
    expect(expression).toBe('"displayName:x\\\\"');
    expect(expression.replace(/\\./g, '').match(/"/g)).toHaveLength(2);
  });

  it('quotes bare text for /me/people', () => {
    expect(peopleSearch('a"b')).toBe('"a\\"b"');
  });
});

describe('query normalisation and LIKE patterns', () => {
  it('trims, collapses whitespace and drops control characters', () => {
    expect(normaliseQuery('  Adele \t\n Vance\u0000 ')).toBe('Adele Vance');
  });

  it('escapes LIKE wildcards so they match literally', () => {
    expect(likeContains('50%_off\\')).toBe('%50\\%\\_off\\\\%');
    expect(likeContains('ADELE')).toBe('%adele%');
  });
});
