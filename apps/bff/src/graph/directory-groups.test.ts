/**
 * The directory lookups behind required groups: groups by display name (OData quotes escaped, Graph's
 * case-insensitive match, namesakes all returned), by name prefix, and the user's membership among a
 * few groups (`checkMemberGroups`, 20 ids a call, transitive), against the emulator's Graph.
 */
import { contosoSeed, createEmulator, type SeedGroup } from '@gatehouse/entra-emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorGraph } from '../../test/support/emulator-graph';
import { groupsNamed, groupsNamedLike, myMemberGroupsAmong } from './directory';

const quoted: SeedGroup = {
  id: 'c0ffee00-0000-4000-8000-0000000000aa',
  displayName: "O'Brien's Team",
  mailNickname: 'obriens-team',
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: [],
  members: [],
  owners: [],
};
const emulator = createEmulator({ seed: { ...contosoSeed, groups: [...contosoSeed.groups, quoted] } });
const { graph, tokenFor } = emulatorGraph(emulator);
const id = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!.id;
let token: string;
beforeAll(async () => {
  token = await tokenFor('johanna@contoso.test');
}, 60_000);

describe('groups by display name', () => {
  it('escapes quotes in the name, ignores case and returns every namesake', async () => {
    expect(await groupsNamed(graph, token, "o'brien's team")).toEqual([
      { id: quoted.id, name: "O'Brien's Team", description: null, mail: null },
    ]);
    const support = await groupsNamed(graph, token, 'Support');
    expect(support.map((g) => g.id).sort()).toEqual([id('support-americas'), id('support-emea')].sort());
    expect(support[0]!.description).toMatch(/^Support engineers/);
    expect(await groupsNamed(graph, token, 'Nobody')).toEqual([]);
  });

  it('suggests groups by the start of their name', async () => {
    const names = (await groupsNamedLike(graph, token, 'Market')).map((g) => g.name).sort();
    expect(names).toEqual(['Marketing', 'Marketing EU']);
  });
});

describe('myMemberGroupsAmong', () => {
  it('answers which of the groups the user is in, transitively, 20 ids a call', async () => {
    const projects = contosoSeed.groups.filter((g) => g.mailNickname.startsWith('project-')).slice(0, 25);
    const before = emulator.control.counters().graph['/v1.0/me/checkMemberGroups'] ?? 0;
    const member = await myMemberGroupsAmong(graph, token, [
      id('marketing').toUpperCase(), // Johanna: through Marketing EU
      id('sales'),
      ...projects.map((g) => g.id),
      'not-a-guid',
    ]);
    expect(member).toEqual([id('marketing')]);
    expect((emulator.control.counters().graph['/v1.0/me/checkMemberGroups'] ?? 0) - before).toBe(2);
  });
});
