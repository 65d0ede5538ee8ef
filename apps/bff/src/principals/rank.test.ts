import { describe, expect, it } from 'vitest';
import { type Candidate, mergeResults, rankOf } from './rank';

const user = (over: Partial<Candidate> & Pick<Candidate, 'id' | 'name'>): Candidate => ({
  type: 'user',
  source: 'entra',
  email: null,
  trustedEmail: true,
  origin: 'users',
  ...over,
});

describe('rankOf', () => {
  it.each([
    ['adele vance', 'Adele Vance', null, 0],
    ['adele', 'Someone', 'adele@contoso.test', 0],
    ['adele@contoso.test', 'Someone', 'adele@contoso.test', 0],
    ['ade', 'Adele Vance', null, 1],
    ['van', 'Adele Vance', null, 1],
    ['adele@con', 'X', 'adele@contoso.test', 1],
    ['ele', 'Adele Vance', null, 2],
    ['contoso', 'X', 'adele@contoso.test', 2],
    ['zzz', 'Adele Vance', 'adele@contoso.test', 3],
  ] as const)('%j against %j <%s> is %i', (query, name, email, rank) => {
    expect(rankOf(query, { name, email })).toBe(rank);
  });
});

describe('mergeResults', () => {
  it('ranks exact before prefix before contains, local first within a rank', () => {
    const results = mergeResults(
      'mark',
      [
        user({ id: 'g1', type: 'group', name: 'Bookmarks', origin: 'groups' }),
        user({ id: 'u1', name: 'Mark', origin: 'users' }),
        user({ id: 'g2', type: 'group', name: 'Marketing', origin: 'groups' }),
        user({ id: 'l1', source: 'local', name: 'Marketing Local', origin: 'local', trustedEmail: false }),
      ],
      10,
    );
    expect(results.map((r) => r.id)).toEqual(['u1', 'l1', 'g2', 'g1']);
  });

  it('de-duplicates by object id: the local account of an Entra user wins over its directory entry', () => {
    const results = mergeResults(
      'adele',
      [
        user({ id: 'oid-1', name: 'Adele Vance', email: 'adele@contoso.test', objectId: 'oid-1' }),
        user({
          id: 'oid-1',
          name: 'Adele Vance',
          email: 'adele@contoso.test',
          objectId: 'oid-1',
          origin: 'people',
        }),
        user({
          id: 'local-1',
          source: 'local',
          origin: 'local',
          name: 'Adele Vance',
          email: 'adele@contoso.test',
          objectId: 'OID-1',
        }),
      ],
      10,
    );
    expect(results).toEqual([
      { type: 'user', source: 'local', id: 'local-1', name: 'Adele Vance', email: 'adele@contoso.test' },
    ]);
  });

  it('de-duplicates directory entries by email, case-insensitively', () => {
    const results = mergeResults(
      'adele',
      [
        user({ id: 'a', name: 'Adele Vance', email: 'Adele@Contoso.test' }),
        user({ id: 'b', name: 'Adele V.', email: 'adele@contoso.test', origin: 'people' }),
      ],
      10,
    );
    expect(results.map((r) => r.id)).toEqual(['a']);
  });

  it('never merges a local account of another provider with a directory user by email', () => {
    const results = mergeResults(
      'adele',
      [
        user({
          id: 'impostor',
          source: 'local',
          origin: 'local',
          name: 'Adele',
          email: 'adele@contoso.test',
          trustedEmail: false,
        }),
        user({ id: 'oid-1', name: 'Adele Vance', email: 'adele@contoso.test', objectId: 'oid-1' }),
      ],
      10,
    );
    expect(results.map((r) => `${r.source}:${r.id}`)).toEqual(['local:impostor', 'entra:oid-1']);
  });

  it('keeps a user and a group that share an address apart, and applies the limit', () => {
    const both = [
      user({ id: 'u', name: 'Sales Bot', email: 'team@contoso.test' }),
      user({
        id: 'g',
        type: 'group',
        name: 'Sales',
        email: 'team@contoso.test',
        origin: 'groups',
        memberCount: 3,
      }),
    ];
    expect(mergeResults('sales', both, 2)).toEqual([
      { type: 'group', source: 'entra', id: 'g', name: 'Sales', email: 'team@contoso.test', memberCount: 3 },
      { type: 'user', source: 'entra', id: 'u', name: 'Sales Bot', email: 'team@contoso.test' },
    ]);
    expect(mergeResults('sales', both, 1).map((r) => r.id)).toEqual(['g']);
  });
});
