import { beforeAll, describe, expect, it } from 'vitest';
import { contosoSeed } from '../src/index';
import { BASE, createFakeClock, createTestEmulator, graphGet, json, signInAndRedeem } from './helpers';

const groupId = (name: string) => contosoSeed.groups.find((g) => g.displayName === name)!.id;
const userId = (alias: string) =>
  contosoSeed.users.find((u) => u.userPrincipalName === `${alias}@contoso.test`)!.id;
const eventual = { ConsistencyLevel: 'eventual' };
const FULL = 'openid profile offline_access User.Read User.ReadBasic.All GroupMember.Read.All People.Read';

describe('Graph directory', () => {
  const emulator = createTestEmulator();
  let adele: string;
  let megan: string;
  const get = (path: string, headers: Record<string, string> = {}, token = adele) =>
    graphGet(emulator, path, token, headers);
  const post = async (path: string, body: unknown, token = adele) => {
    const response = await emulator.fetch(
      new Request(`${BASE}/v1.0${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, headers: response.headers, body: await json(response) };
  };

  beforeAll(async () => {
    adele = (await signInAndRedeem(emulator, 'adele@contoso.test', { scope: FULL })).tokens.access_token!;
    megan = (await signInAndRedeem(emulator, 'megan@contoso.test', { scope: FULL })).tokens.access_token!;
  });

  describe('access tokens', () => {
    it('refuses a request without a token: 401 InvalidAuthenticationToken with WWW-Authenticate', async () => {
      const response = await emulator.fetch(new Request(`${BASE}/v1.0/me`));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=""/);
      const body = await json(response);
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(body.error.message).toBe('Access token is empty.');
      expect(body.error.innerError).toHaveProperty('request-id');
      expect(body.error.innerError).toHaveProperty('date');
    });

    it('refuses an expired token and a token for another audience', async () => {
      const clock = createFakeClock();
      const other = createTestEmulator({ clock: clock.now });
      const { tokens } = await signInAndRedeem(other, 'adele@contoso.test', {
        scope: 'openid offline_access api://37f430eb-fc34-4aab-92b8-01a54ce1b692/access_as_user',
      });
      const wrongAudience = await graphGet(other, '/me', tokens.access_token!);
      expect(wrongAudience.status).toBe(401);
      expect(wrongAudience.body.error.message).toBe('Access token validation failure. Invalid audience.');
      const graph = await signInAndRedeem(other, 'adele@contoso.test');
      clock.advance(3601 * 1000);
      const expired = await graphGet(other, '/me', graph.tokens.access_token!);
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toBe('Lifetime validation failed, the token is expired.');
    });

    it('answers 403 Authorization_RequestDenied without the needed scope', async () => {
      const { tokens } = await signInAndRedeem(emulator, 'alex@contoso.test', { scope: 'openid User.Read' });
      const me = await graphGet(emulator, '/me', tokens.access_token!);
      expect(me.status).toBe(200);
      const users = await graphGet(emulator, '/users', tokens.access_token!);
      expect(users.status).toBe(403);
      expect(users.body.error.code).toBe('Authorization_RequestDenied');
      expect((await graphGet(emulator, '/groups', tokens.access_token!)).status).toBe(403);
      expect((await graphGet(emulator, '/me/people', tokens.access_token!)).status).toBe(403);
    });
  });

  describe('users', () => {
    it('returns /me with the default properties and the OData context', async () => {
      const { status, body, headers } = await get('/me');
      expect(status).toBe(200);
      expect(headers.get('content-type')).toContain('application/json');
      expect(headers.get('request-id')).toBeTruthy();
      expect(body['@odata.context']).toBe(`${BASE}/v1.0/$metadata#users/$entity`);
      expect(Object.keys(body).slice(1)).toEqual([
        'businessPhones',
        'displayName',
        'givenName',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
        'id',
      ]);
      expect(body).toMatchObject({ displayName: 'Adele Vance', id: userId('adele') });
    });

    it('applies $select, and refuses an unknown property', async () => {
      const { body } = await get('/users/megan@contoso.test?$select=id,displayName,department');
      expect(body).toEqual({
        '@odata.context': `${BASE}/v1.0/$metadata#users(id,displayName,department)/$entity`,
        id: userId('megan'),
        displayName: 'Megan Bowen',
        department: 'Marketing',
      });
      const bad = await get('/users?$select=shoeSize');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('Request_BadRequest');
    });

    it('finds users by id or UPN, and 404s others', async () => {
      expect((await get(`/users/${userId('alex')}`)).body.displayName).toBe('Alex Wilber');
      const missing = await get('/users/nobody@contoso.test');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('Request_ResourceNotFound');
    });

    it('pages with @odata.nextLink (absolute, opaque $skiptoken) until every user is seen', async () => {
      const first = await get('/users?$top=10&$select=id');
      expect(first.body.value).toHaveLength(10);
      const next = new URL(first.body['@odata.nextLink']);
      expect(next.origin).toBe(BASE);
      expect(next.searchParams.get('$top')).toBe('10');
      expect(next.searchParams.get('$skiptoken')).toBeTruthy();
      const ids = new Set<string>(first.body.value.map((u: { id: string }) => u.id));
      let link: string | undefined = first.body['@odata.nextLink'];
      while (link) {
        const page = await get(link.slice(`${BASE}/v1.0`.length));
        for (const u of page.body.value) ids.add(u.id);
        link = page.body['@odata.nextLink'];
      }
      expect(ids.size).toBe(contosoSeed.users.length);
      expect(ids.size).toBeGreaterThanOrEqual(30);
      expect((await get('/users?$top=1000')).status).toBe(400);
      expect((await get('/users?$skiptoken=garbage')).status).toBe(400);
    });

    it('filters with startswith, eq and in', async () => {
      const { body } = await get("/users?$filter=startswith(displayName,'ad')&$select=displayName");
      expect(body.value.map((u: { displayName: string }) => u.displayName).sort()).toEqual([
        'Ada Lovelace-Byron',
        'Adam Ledger',
        'Adele Vance',
      ]);
      const eq = await get("/users?$filter=mail eq 'ALEX@contoso.test'");
      expect(eq.body.value).toHaveLength(1);
      const inList = await get(`/users?$filter=id in ('${userId('adele')}','${userId('megan')}')`);
      expect(inList.body.value).toHaveLength(2);
    });

    it('needs ConsistencyLevel: eventual and $count=true for advanced filters', async () => {
      const plain = await get("/users?$filter=department ne 'Sales'");
      expect(plain.status).toBe(400);
      expect(plain.body.error.code).toBe('Request_UnsupportedQuery');
      const advanced = await get("/users?$filter=department ne 'Sales'&$count=true", eventual);
      expect(advanced.status).toBe(200);
      expect(advanced.body['@odata.count']).toBe(
        contosoSeed.users.filter((u) => u.department !== 'Sales').length,
      );
    });
  });

  describe('$search', () => {
    it('is refused without ConsistencyLevel: eventual (400 Request_UnsupportedQuery)', async () => {
      const { status, body } = await get('/users?$search="displayName:ada"');
      expect(status).toBe(400);
      expect(body.error.code).toBe('Request_UnsupportedQuery');
      expect(body.error.message).toContain("'ConsistencyLevel: eventual'");
    });

    it('tokenises displayName and matches other properties by prefix, with OR clauses and $count', async () => {
      const names = async (query: string) => {
        const { body } = await get(`/users?${query}&$select=displayName`, eventual);
        return (body.value as Array<{ displayName: string }>).map((u) => u.displayName).sort();
      };
      expect(await names('$search="displayName:byron"')).toEqual(['Ada Lovelace-Byron']);
      expect(await names('$search="displayName:ade van"')).toEqual(['Adele Vance']);
      // mail is not tokenised: "vance" does not start adele@contoso.test.
      expect(await names('$search="mail:vance"')).toEqual([]);
      expect(await names('$search="displayName:megan" OR "mail:alex"')).toEqual([
        'Alex Wilber',
        'Megan Bowen',
      ]);
      expect(await names('$search="displayName:a" AND "department:Marketing"')).toEqual(['Adele Vance']);
      const counted = await get('/users?$search="displayName:ad"&$count=true&$top=1', eventual);
      expect(counted.body['@odata.count']).toBe(3);
      expect(counted.body.value).toHaveLength(1);
      const page2 = await get(
        new URL(counted.body['@odata.nextLink']).href.slice(`${BASE}/v1.0`.length),
        eventual,
      );
      expect(page2.body).not.toHaveProperty('@odata.count');
      // Without the header, $count=true is silently ignored.
      expect((await get('/users?$count=true')).body).not.toHaveProperty('@odata.count');
    });

    it('searches groups by tokenised description', async () => {
      const { body } = await get('/groups?$search="description:european"&$select=displayName', eventual);
      expect(body.value).toEqual([{ displayName: 'Marketing EU' }]);
    });

    it('refuses malformed queries and unknown properties', async () => {
      expect((await get('/users?$search=ada', eventual)).status).toBe(400);
      expect((await get('/users?$search="ada"', eventual)).status).toBe(400);
      expect((await get('/users?$search="shoe:42"', eventual)).body.error.code).toBe(
        'Request_UnsupportedQuery',
      );
    });

    it('serves /users/$count only with ConsistencyLevel', async () => {
      const response = await emulator.fetch(
        new Request(`${BASE}/v1.0/users/$count`, { headers: { authorization: `Bearer ${adele}` } }),
      );
      expect(response.status).toBe(400);
      expect((await json(response)).error.message).toBe('$count is not currently supported.');
      const ok = await emulator.fetch(
        new Request(`${BASE}/v1.0/users/$count`, {
          headers: { authorization: `Bearer ${adele}`, ...eventual },
        }),
      );
      expect(await ok.text()).toBe(String(contosoSeed.users.length));
    });
  });

  describe('groups and membership', () => {
    it('lists groups with filters on groupTypes', async () => {
      const { body } = await get("/groups?$filter=groupTypes/any(c:c eq 'Unified')&$select=displayName");
      expect(body.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual([
        'All Company',
        'Engineering',
        'Marketing',
        'Sales',
      ]);
      const security = await get('/groups?$filter=mailEnabled eq false and securityEnabled eq true&$top=5');
      expect(security.body.value).toHaveLength(5);
      expect(security.body['@odata.nextLink']).toBeDefined();
    });

    it('lists direct members with @odata.type (a nested group included), transitive members and owners', async () => {
      const members = await get(`/groups/${groupId('Marketing')}/members?$select=id,displayName`);
      expect(members.body['@odata.context']).toBe(`${BASE}/v1.0/$metadata#directoryObjects(id,displayName)`);
      const types = members.body.value.map(
        (m: Record<string, string>) => `${m['@odata.type']} ${m.displayName}`,
      );
      expect(types).toContain('#microsoft.graph.user Adele Vance');
      expect(types).toContain('#microsoft.graph.group Marketing EU');
      const transitive = await get(
        `/groups/${groupId('Marketing')}/transitiveMembers/microsoft.graph.user?$select=displayName`,
      );
      const names = transitive.body.value.map((m: { displayName: string }) => m.displayName);
      expect(names).toEqual(expect.arrayContaining(['Adele Vance', 'Johanna Lorenz', 'Enrico Cattaneo']));
      expect(names).not.toContain('Marketing EU');
      const owners = await get(`/groups/${groupId('Marketing')}/owners`);
      expect(owners.body.value.map((o: { id: string }) => o.id)).toEqual([userId('megan')]);
    });

    it('returns members with limited information when the token cannot read users', async () => {
      const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test', {
        scope: 'openid User.Read GroupMember.Read.All',
      });
      const { body } = await graphGet(emulator, `/groups/${groupId('Sales')}/members`, tokens.access_token!);
      const user = body.value.find(
        (m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.user',
      );
      expect(user.id).toBeTruthy();
      expect(user.displayName).toBeNull();
    });

    it("pages Megan's 250 transitive groups, and getMemberObjects/getMemberGroups return them all", async () => {
      const ids: string[] = [];
      let path: string | undefined = '/me/transitiveMemberOf/microsoft.graph.group?$select=id';
      const sizes: number[] = [];
      while (path) {
        const { body } = await get(path, {}, megan);
        sizes.push(body.value.length);
        ids.push(...body.value.map((g: { id: string }) => g.id));
        path = body['@odata.nextLink']?.slice(`${BASE}/v1.0`.length);
      }
      expect(sizes).toEqual([100, 100, 50]);
      expect(new Set(ids).size).toBe(250);
      const objects = await post('/me/getMemberObjects', { securityEnabledOnly: false }, megan);
      expect(objects.body.value).toHaveLength(250);
      const viaUsers = await post(
        `/users/${userId('megan')}/getMemberGroups`,
        { securityEnabledOnly: true },
        megan,
      );
      expect(viaUsers.body.value).toHaveLength(250);
      expect(new Set(viaUsers.body.value)).toEqual(new Set(ids));
      const missingBody = await post('/me/getMemberGroups', {}, megan);
      expect(missingBody.status).toBe(400);
    });

    it('lists memberOf (direct) and transitiveMemberOf (nested) for a member of a nested group', async () => {
      const { tokens } = await signInAndRedeem(emulator, 'enrico@contoso.test', { scope: FULL });
      const direct = await graphGet(emulator, '/me/memberOf?$select=displayName', tokens.access_token!);
      const names = direct.body.value.map((g: { displayName: string }) => g.displayName);
      expect(names).toContain('Marketing EU');
      expect(names).not.toContain('Marketing');
      const nested = await graphGet(
        emulator,
        '/me/transitiveMemberOf?$select=displayName',
        tokens.access_token!,
      );
      expect(nested.body.value.map((g: { displayName: string }) => g.displayName)).toContain('Marketing');
      const check = await post(
        '/me/checkMemberGroups',
        { groupIds: [groupId('Marketing'), groupId('Engineering')] },
        tokens.access_token!,
      );
      expect(check.body.value).toEqual([groupId('Marketing')]);
    });

    it('lists the groups Megan owns', async () => {
      const { body } = await get(
        '/me/ownedObjects/microsoft.graph.group?$select=displayName&$top=999',
        {},
        megan,
      );
      expect(body.value.map((g: { displayName: string }) => g.displayName)).toContain('Marketing');
    });
  });

  describe('photos and people', () => {
    it('serves a generated PNG photo, and 404 ImageNotFound for a user without one', async () => {
      const response = await emulator.fetch(
        new Request(`${BASE}/v1.0/users/${userId('adele')}/photo/$value`, {
          headers: { authorization: `Bearer ${adele}` },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      const noPhoto = contosoSeed.users.find((u) => !u.photoColor)!;
      const missing = await get(`/users/${noPhoto.id}/photo/$value`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ImageNotFound');
      const meta = await get('/me/photo');
      expect(meta.body).toMatchObject({ width: 96, height: 96, '@odata.mediaContentType': 'image/png' });
    });

    it('ranks people who share groups first, searches them, and filters by personType', async () => {
      const { body } = await get('/me/people?$top=3');
      expect(body.value).toHaveLength(3);
      expect(body.value.map((p: { displayName: string }) => p.displayName)).toEqual(
        expect.arrayContaining(['Delia Dennis', 'Miriam Graham']),
      );
      expect(body['@odata.nextLink']).toContain('$skip=3');
      const search = await get('/me/people?$search="lor"');
      expect(search.body.value.map((p: { displayName: string }) => p.displayName)).toEqual([
        'Johanna Lorenz',
      ]);
      const groups = await get("/me/people?$filter=personType/class eq 'Group'");
      expect(groups.body.value.map((p: { displayName: string }) => p.displayName).sort()).toEqual([
        'All Company',
        'Marketing',
      ]);
    });
  });

  describe('$batch', () => {
    it('answers each request with its own status, Content-Type and body', async () => {
      const { status, body } = await post('/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/me?$select=displayName' },
          { id: '2', method: 'GET', url: `/groups/${groupId('Engineering')}?$select=displayName` },
          { id: '3', method: 'GET', url: '/users/nobody@contoso.test' },
          { id: '4', method: 'GET', url: '/users?$search="displayName:ada"', headers: eventual },
          { id: '5', method: 'GET', url: `/users/${userId('adele')}/photo/$value` },
        ],
      });
      expect(status).toBe(200);
      const byId = Object.fromEntries(body.responses.map((r: { id: string }) => [r.id, r]));
      expect(byId['1']).toMatchObject({ status: 200, body: { displayName: 'Adele Vance' } });
      expect(byId['1'].headers['Content-Type']).toContain('application/json');
      expect(byId['2'].body.displayName).toBe('Engineering');
      expect(byId['3'].status).toBe(404);
      expect(byId['4'].body.value.map((u: { displayName: string }) => u.displayName)).toContain(
        'Ada Lovelace-Byron',
      );
      expect(byId['5'].headers['Content-Type']).toBe('image/png');
      expect(Buffer.from(byId['5'].body, 'base64').subarray(1, 4).toString()).toBe('PNG');
    });

    it('refuses more than 20 requests, and answers 424 when a dependency failed', async () => {
      const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
      const tooMany = await post('/$batch', { requests: many });
      expect(tooMany.status).toBe(400);
      const chained = await post('/$batch', {
        requests: [
          { id: 'a', method: 'GET', url: '/users/nobody@contoso.test' },
          { id: 'b', method: 'GET', url: '/me', dependsOn: ['a'] },
        ],
      });
      expect(chained.body.responses.map((r: { status: number }) => r.status)).toEqual([404, 424]);
    });

    it('throttles sub-requests on their own, with Retry-After', async () => {
      emulator.control.fault({ route: '/v1.0/users*', status: 429, retryAfter: 2, count: 1 });
      const { body } = await post('/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=1' },
          { id: '2', method: 'GET', url: '/me' },
        ],
      });
      const byId = Object.fromEntries(body.responses.map((r: { id: string }) => [r.id, r]));
      expect(byId['1'].status).toBe(429);
      expect(byId['1'].headers['Retry-After']).toBe('2');
      expect(byId['1'].body.error.code).toBe('TooManyRequests');
      expect(byId['2'].status).toBe(200);
    });
  });
});
