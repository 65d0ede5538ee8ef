import { contosoSeed, createEmulator, type Seed, type SeedGroup } from '@gatehouse/entra-emulator';
import pino from 'pino';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorGraph } from '../../test/support/emulator-graph';
import { groupMemberCounts, myGroupIds } from './directory';
import { createGraphClient } from './graph-client';

// Kim is in more groups than getMemberGroups answers for (11 000): 11 001 direct ones and one more
// through nesting; she also owns 1 000 groups she is not a member of (two pages of 999).
const KIM = 'a1b2c3d4-0000-4000-8000-00000000c1a0';
const guid = (n: number) => `c0ffee00-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const group = (n: number, members: string[], owners: string[] = []): SeedGroup => ({
  id: guid(n),
  displayName: `Team ${n}`,
  mailNickname: `team${n}`,
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: [],
  members,
  owners,
});
const DIRECT = 11_001;
const OWNED = 1_000;
const direct = Array.from({ length: DIRECT }, (_, i) => group(i, [KIM]));
const outer = group(DIRECT, [guid(0)]);
const owned = Array.from({ length: OWNED }, (_, i) => group(DIRECT + 1 + i, [], [KIM]));
const app = contosoSeed.applications[0]!;
const seed: Seed = {
  ...contosoSeed,
  users: [
    ...contosoSeed.users,
    { id: KIM, userPrincipalName: 'kim@contoso.test', displayName: 'Kim Abercrombie', password: 'Passw0rd!' },
  ],
  groups: [...contosoSeed.groups, ...direct, outer, ...owned],
  applications: [
    { ...app, appRoleAssignments: [...app.appRoleAssignments, { principalId: KIM, role: 'Gatehouse.User' }] },
    ...contosoSeed.applications.slice(1),
  ],
};

const emulator = createEmulator({ seed });
const { graph, tokenFor } = emulatorGraph(emulator);
const GET_MEMBER_GROUPS = '/v1.0/me/getMemberGroups';
const TRANSITIVE = '/v1.0/me/transitiveMemberOf/microsoft.graph.group';
const OWNED_OBJECTS = '/v1.0/me/ownedObjects/microsoft.graph.group';
let kim: string;
let megan: string;
beforeAll(async () => {
  [kim, megan] = await Promise.all([tokenFor('kim@contoso.test'), tokenFor('megan@contoso.test')]);
}, 60_000);
beforeEach(() => {
  emulator.control.clearFaults();
  emulator.control.resetCounters();
});

describe('myGroupIds', () => {
  it('past getMemberGroups’ limit, pages transitiveMemberOf instead (nested groups included)', async () => {
    const ids = await myGroupIds(graph, kim, { includeOwned: false });
    expect(ids).toHaveLength(DIRECT + 1);
    expect(new Set(ids)).toEqual(new Set([...direct, outer].map((g) => g.id)));
    const calls = emulator.control.counters().graph;
    expect(calls[GET_MEMBER_GROUPS]).toBe(1); // answered Directory_ResultSizeLimitExceeded
    expect(calls[TRANSITIVE]).toBe(Math.ceil((DIRECT + 1) / 999));
    expect(calls[OWNED_OBJECTS]).toBeUndefined();
  });

  it('adds owned groups, paged, only when owners count as members', async () => {
    const ids = await myGroupIds(graph, kim, { includeOwned: true });
    expect(ids).toHaveLength(DIRECT + 1 + OWNED);
    expect(ids).toEqual(expect.arrayContaining(owned.map((g) => g.id)));
    expect(emulator.control.counters().graph[OWNED_OBJECTS]).toBe(2);
  });

  it('uses getMemberGroups alone under the limit (Megan: 250 groups, one round trip)', async () => {
    const ids = await myGroupIds(graph, megan, { includeOwned: false });
    const expected = contosoSeed.groups.filter((g) =>
      g.members.includes(contosoSeed.users.find((u) => u.userPrincipalName === 'megan@contoso.test')!.id),
    );
    expect(ids.length).toBeGreaterThanOrEqual(expected.length);
    expect(ids).toEqual(expect.arrayContaining(expected.map((g) => g.id.toLowerCase())));
    expect(emulator.control.counters().graph).toEqual({ [GET_MEMBER_GROUPS]: 1 });
  });

  it('does not take another getMemberGroups failure for the limit: it fails, with no fallback', async () => {
    emulator.control.fault({ route: GET_MEMBER_GROUPS, status: 400, count: 1 });
    // Graph's 400 generalException, as the Graph client reports it.
    await expect(myGroupIds(graph, kim, { includeOwned: false })).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect(emulator.control.counters().graph[TRANSITIVE]).toBeUndefined();
  });
});

describe('groupMemberCounts', () => {
  it('counts in one $batch with ConsistencyLevel: eventual (number, text or base64 text bodies); a failed count is left out', async () => {
    const ids = [guid(1), guid(2), guid(3), guid(4)];
    const sent: { requests: { id: string; url: string; headers?: Record<string, string> }[] }[] = [];
    const bodies: Record<string, { status: number; body: unknown }> = {
      '0': { status: 200, body: 7 },
      '1': { status: 200, body: '12' },
      '2': { status: 200, body: Buffer.from('3').toString('base64') },
      '3': { status: 404, body: { error: { code: 'Request_ResourceNotFound' } } },
    };
    const fakeGraph = createGraphClient({
      log: pino({ level: 'silent' }),
      fetch: (async (_input: string | URL | Request, init?: RequestInit) => {
        const batch = JSON.parse(String(init?.body)) as (typeof sent)[number];
        sent.push(batch);
        const responses = batch.requests.map((r) => ({ id: r.id, headers: {}, ...bodies[r.id] }));
        return new Response(JSON.stringify({ responses }), {
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    });
    const counts = await groupMemberCounts(fakeGraph, 't', [...ids, 'not-a-guid']);
    expect(Object.fromEntries(counts)).toEqual({ [guid(1)]: 7, [guid(2)]: 12, [guid(3)]: 3 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.requests.map((r) => [r.url, r.headers?.ConsistencyLevel])).toEqual(
      ids.map((id) => [`/groups/${id}/members/$count`, 'eventual']),
    );
  });

  it('answers no counts, without throwing, when the batch fails; asks nothing for no groups', async () => {
    let calls = 0;
    const failing = createGraphClient({
      log: pino({ level: 'silent' }),
      fetch: (async () => {
        calls++;
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    expect((await groupMemberCounts(failing, 't', [guid(1)])).size).toBe(0);
    expect(calls).toBeGreaterThan(0);
    calls = 0;
    expect((await groupMemberCounts(failing, 't', [])).size).toBe(0);
    expect(calls).toBe(0);
  });
});
