/**
 * People search end to end: local accounts and groups first, the Entra directory through one Graph
 * `$batch` (and one more for the member counts of group hits), merged and ranked; throttling retried; a slow or failed directory gives partial local
 * results, never an error. On SQLite and PostgreSQL.
 */
import { type SearchResponse, sharingRoutes } from '@gatehouse/contracts';
import { contosoSeed } from '@gatehouse/entra-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../src/db/test-databases';
import { seedDevLocalGroups } from '../src/groups/dev-seed';
import type { Browser } from './browser';
import { APP_ORIGIN, createHarness, type Harness, type HarnessOptions } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dialects = (await testDatabases()).map((d) => d.name);
const userId = (alias: string) =>
  contosoSeed.users.find((u) => u.userPrincipalName === `${alias}@contoso.test`)!.id;
const groupId = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!.id;
/** Direct members (users and nested groups) of a seeded group, as Graph's `members/$count` counts them. */
const memberCount = (nickname: string) =>
  contosoSeed.groups.find((g) => g.mailNickname === nickname)!.members.length;

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

for (const dialect of dialects) {
  async function start(options: HarnessOptions = {}) {
    harness = await createHarness({ database: dialect, ...options });
    return harness;
  }

  async function signedIn(alias: string): Promise<Browser> {
    const browser = harness.newBrowser();
    const end = await harness.signIn(browser, `${alias}@contoso.test`);
    expect(end.url.href).toBe(`${APP_ORIGIN}/`);
    return browser;
  }

  async function search(browser: Browser, query: string) {
    const response = await harness.api(browser, `${sharingRoutes.search}?${query}`);
    return {
      status: response.status,
      body: (await response.json()) as SearchResponse & { error?: string; message?: string },
    };
  }

  const graphRequests = (path: string) => {
    const counters = harness.emulator.control.counters();
    return (counters.graph[path] ?? 0) + (counters.graphBatched[path] ?? 0);
  };

  describe(`people search on ${dialect}`, () => {
    it('merges local and Entra users and groups, one local account per person, exact before prefix', async () => {
      await start();
      await seedDevLocalGroups(harness.deps.database.db, {
        issuer: harness.config.OPENID_ISSUER,
        tenantId: contosoSeed.tenant.id,
        now: harness.now(),
      });
      const megan = await signedIn('megan');
      const adeleLocal = await harness.deps.database.db
        .selectFrom('users')
        .select('id')
        .where('subject', '=', userId('adele'))
        .executeTakeFirstOrThrow();

      const people = await search(megan, 'q=adele');
      expect(people.status).toBe(200);
      expect(people.body.partial).toBe(false);
      // Adele's local account (seeded, keyed by her object id) stands for her directory entry too.
      expect(people.body.results.filter((r) => r.name === 'Adele Vance')).toEqual([
        {
          type: 'user',
          source: 'local',
          id: adeleLocal.id,
          name: 'Adele Vance',
          email: 'adele@contoso.test',
        },
      ]);

      const mixed = await search(megan, 'q=marketing&types=user,group');
      expect(mixed.body.results.slice(0, 2)).toEqual([
        {
          type: 'group',
          source: 'entra',
          id: groupId('marketing'),
          name: 'Marketing',
          email: 'marketing@contoso.test',
          memberCount: memberCount('marketing'),
        },
        expect.objectContaining({
          type: 'group',
          source: 'entra',
          id: groupId('marketing-eu'),
          name: 'Marketing EU',
          memberCount: memberCount('marketing-eu'),
        }),
      ]);

      const local = await search(megan, 'q=pilot&types=group');
      expect(local.body.results).toEqual([
        {
          type: 'group',
          source: 'local',
          id: expect.any(String),
          name: 'Gatehouse Pilot',
          email: null,
          memberCount: 3,
        },
      ]);

      const entraUser = await search(megan, 'q=johanna&types=user');
      expect(entraUser.body.results[0]).toEqual({
        type: 'user',
        source: 'entra',
        id: userId('johanna'),
        name: 'Johanna Lorenz',
        email: 'johanna@contoso.test',
      });
    });

    it('asks Graph once per search ($batch), and not at all for a repeated query (per-user cache)', async () => {
      await start();
      const megan = await signedIn('megan');
      harness.emulator.control.resetCounters();
      await search(megan, 'q=patti');
      await search(megan, 'q=patti');
      const counters = harness.emulator.control.counters();
      expect(counters.graph['/v1.0/$batch']).toBe(1);
      expect(graphRequests('/v1.0/users')).toBe(1);
      expect(graphRequests('/v1.0/groups')).toBe(1);
      expect(graphRequests('/v1.0/me/people')).toBe(1);
    });

    it('counts the members of group hits in a second $batch: two Graph round trips, one when no group matches', async () => {
      await start();
      const megan = await signedIn('megan');
      harness.emulator.control.resetCounters();
      const result = await search(megan, 'q=marketing&types=user,group');
      const groups = result.body.results.filter((r) => r.type === 'group' && r.source === 'entra');
      expect(groups.length).toBeGreaterThan(1);
      for (const group of groups) {
        const seeded = contosoSeed.groups.find((g) => g.id === group.id)!;
        expect(group.memberCount).toBe(seeded.members.length);
      }
      const counters = harness.emulator.control.counters();
      expect(counters.graph['/v1.0/$batch']).toBe(2);
      expect(counters.graphBatched[`/v1.0/groups/${groupId('marketing')}/members/$count`]).toBe(1);

      harness.emulator.control.resetCounters();
      await search(megan, 'q=marketing&types=user,group'); // complete answer: cached
      await search(megan, 'q=patti&types=user,group'); // no group hits: no count batch
      expect(harness.emulator.control.counters().graph['/v1.0/$batch']).toBe(1);
    });

    it('leaves the counts out, not the results, when counting outlasts the 2.5 s budget', async () => {
      await start();
      const megan = await signedIn('megan');
      harness.emulator.control.fault({ route: '/v1.0/groups/*/members/$count', latencyMs: 4000 });
      const started = Date.now();
      const result = await search(megan, 'q=marketing&types=group');
      expect(Date.now() - started).toBeLessThan(3800);
      expect(result.body.partial).toBe(false);
      expect(result.body.results[0]).toEqual({
        type: 'group',
        source: 'entra',
        id: groupId('marketing'),
        name: 'Marketing',
        email: 'marketing@contoso.test',
      });
    });

    it('retries a throttled /users search after Retry-After and returns complete results', async () => {
      await start();
      const megan = await signedIn('megan');
      harness.emulator.control.resetCounters();
      harness.emulator.control.fault({ route: '/v1.0/users', status: 429, count: 1, retryAfter: 1 });
      const result = await search(megan, 'q=lynne&types=user');
      expect(result.body).toMatchObject({ partial: false });
      expect(result.body.results).toContainEqual(
        expect.objectContaining({ source: 'entra', id: userId('lynne') }),
      );
      expect(graphRequests('/v1.0/users')).toBe(2);
    });

    it('answers with partial local results and a reason when Graph is down, never an error', async () => {
      await start();
      await signedIn('adele');
      const megan = await signedIn('megan');
      harness.emulator.control.fault({ route: '/v1.0/$batch', status: 503 });
      const result = await search(megan, 'q=adele');
      expect(result.status).toBe(200);
      expect(result.body.partial).toBe(true);
      expect(result.body.reasons).toEqual(
        expect.arrayContaining([expect.stringMatching(/could not be reached/)]),
      );
      expect(result.body.results).toEqual([
        expect.objectContaining({ source: 'local', name: 'Adele Vance' }),
      ]);
    });

    it('answers with partial local results when Graph is slow (2.5 s budget)', async () => {
      await start();
      await signedIn('adele');
      const megan = await signedIn('megan');
      harness.emulator.control.fault({ route: '/v1.0/$batch', latencyMs: 4000 });
      const started = Date.now();
      const result = await search(megan, 'q=adele');
      expect(Date.now() - started).toBeLessThan(3800);
      expect(result.body).toMatchObject({
        partial: true,
        reasons: [expect.stringMatching(/did not answer in time/)],
      });
      expect(result.body.results).toEqual([
        expect.objectContaining({ source: 'local', name: 'Adele Vance' }),
      ]);
    });

    it("serves an Entra user's photo through the BFF (not cacheable by the browser), 404 without one", async () => {
      await start();
      const megan = await signedIn('megan');
      const withPhoto = contosoSeed.users.find((u) => u.userPrincipalName === 'adele@contoso.test')!;
      const photo = await harness.api(megan, `/api/principals/entra/user/${withPhoto.id}/photo`);
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toMatch(/^image\//);
      expect(photo.headers.get('cache-control')).toBe('no-store');
      const graphBefore = harness.emulator.control.counters().graph;
      expect((await harness.api(megan, `/api/principals/entra/user/${withPhoto.id}/photo`)).status).toBe(200);
      expect(harness.emulator.control.counters().graph).toEqual(graphBefore); // served from the BFF's cache

      const statuses = await Promise.all(
        contosoSeed.users
          .slice(0, 10)
          .map(async (u) => (await harness.api(megan, `/api/principals/entra/user/${u.id}/photo`)).status),
      );
      expect(statuses).toContain(404); // every fifth demo user has no photo
      expect((await harness.api(megan, '/api/principals/entra/user/..%2Fme/photo')).status).toBe(404);
      expect(
        (await harness.api(megan, `/api/principals/entra/group/${groupId('marketing')}/photo`)).status,
      ).toBe(404);
    });

    it('validates q, types and limit, and is 404 feature_disabled when the feature is off', async () => {
      await start();
      const megan = await signedIn('megan');
      for (const [query, field] of [
        ['q=a', 'q'],
        ['q=%20%20a%20', 'q'],
        ['q=ad&limit=0', 'limit'],
        ['q=ad&limit=51', 'limit'],
        ['q=ad&types=robot', 'types'],
      ] as const) {
        const result = await search(megan, query);
        expect(result.status).toBe(400);
        expect(result.body).toMatchObject({
          error: 'invalid_request',
          message: expect.stringMatching(new RegExp(`^${field}:`)),
        });
      }
      expect((await search(megan, 'q=ad&limit=50')).status).toBe(200);

      const signedOut = harness.newBrowser();
      expect((await harness.api(signedOut, `${sharingRoutes.search}?q=adele`)).status).toBe(401);
      await harness.close();

      await start({
        env: { USE_ENTRA_ID_FOR_PEOPLE_SEARCH: 'false', ENTRA_ID_INCLUDE_OWNERS_AS_MEMBERS: 'false' },
      });
      const off = await signedIn('megan');
      const disabled = await search(off, 'q=adele');
      expect(disabled.status).toBe(404);
      expect(disabled.body).toMatchObject({ error: 'feature_disabled' });
    });
  });
}
