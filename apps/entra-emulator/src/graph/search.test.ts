import { describe, expect, it } from 'vitest';
import { matchesSearch, parseSearch, tokenise, tokensMatch } from './search';

describe('tokenise', () => {
  it.each([
    ['OneVideo', ['one', 'video']],
    ['Ada Lovelace-Byron', ['ada', 'lovelace', 'byron']],
    ['Project 042', ['project', '042']],
    ['Room12B', ['room', '12', 'b']],
    ['  ', []],
  ])('%s → %j', (value, tokens) => {
    expect(tokenise(value)).toEqual(tokens);
  });
});

describe('tokensMatch', () => {
  it.each([
    ['Adele Vance', 'ad', true],
    ['Adele Vance', 'van ade', true],
    ['Adele Vance', 'ele', false],
    ['OneVideo Team', 'onevideo', false],
    ['OneVideo Team', 'one video', true],
  ])('%s matches %s: %s', (value, query, expected) => {
    expect(tokensMatch(value, query)).toBe(expected);
  });
});

describe('parseSearch and matchesSearch', () => {
  const adele = { displayName: 'Adele Vance', mail: 'adele@contoso.test', department: 'Marketing' };
  const get = (o: Record<string, string>) => (p: string) => o[p];

  it.each([
    ['"displayName:vance"', true],
    ['"mail:vance"', false],
    ['"mail:adele"', true],
    ['"displayName:zed" OR "mail:ade"', true],
    ['"displayName:adele" AND "department:sales"', false],
    ['("displayName:zed" OR "displayName:ade") AND "department:mark"', true],
    ['"displayName:zed" OR "displayName:ade" AND "department:sales"', false],
  ])('%s → %s', (query, expected) => {
    expect(matchesSearch(parseSearch(query), get(adele))).toBe(expected);
  });

  it('reads backslash escapes inside quotes', () => {
    expect(parseSearch('"displayName:say \\"hi\\""')).toEqual({
      kind: 'clause',
      property: 'displayName',
      text: 'say "hi"',
    });
  });

  it.each([
    ['displayName:ada', /double quotes/],
    ['"displayName:ada', /unterminated/],
    ['"ada"', /names a property/],
    ['"displayName:a" or "mail:b"', /upper-case AND or OR/],
  ])('refuses %s', (query, message) => {
    expect(() => parseSearch(query)).toThrow(message);
  });

  it('takes bare text when allowed (people search)', () => {
    expect(parseSearch('"ada"', true)).toEqual({ kind: 'clause', property: '*', text: 'ada' });
  });
});
