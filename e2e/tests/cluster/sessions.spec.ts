import { GATEHOUSE_CLIENT_ID } from '@gatehouse/entra-emulator';
import { expect, test } from '@playwright/test';
import { type Cluster, startCluster } from '../../support/cluster';

// Two BFF processes on one PostgreSQL database behind nginx (deploy/nginx/gatehouse.conf).
let cluster: Cluster;
test.beforeAll(async () => {
  test.setTimeout(60_000);
  cluster = await startCluster({ instances: 2 });
});
test.afterAll(async () => {
  await cluster?.stop();
});

/** How many answers each instance gave (by index; "?" when no instance could be named). */
function answeredBy(responses: Response[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const key = String(cluster.instanceOf(response)?.index ?? '?');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

test('a session made through one instance works through the others', async () => {
  const adele = await cluster.signIn('adele@contoso.test');

  // Round robin through nginx: both instances answer, and both know the session.
  const viaNginx = await Promise.all(Array.from({ length: 8 }, () => adele.api('/api/auth/session')));
  expect(viaNginx.map((r) => r.status)).toEqual(Array(8).fill(200));
  expect(answeredBy(viaNginx)).toEqual({ 0: 4, 1: 4 });
  const bodies = await Promise.all(viaNginx.map((r) => r.json() as Promise<{ user: { email: string } }>));
  expect(new Set(bodies.map((b) => b.user.email))).toEqual(new Set(['adele@contoso.test']));

  // Straight to each instance, bypassing nginx: the same cookie is a session on each of them.
  for (const instance of cluster.instances) {
    const direct = await fetch(`${instance.url}/api/auth/session`, {
      headers: { cookie: adele.cookie, 'x-csrf': '1' },
    });
    expect(direct.status, `instance ${instance.index}`).toBe(200);
    expect(cluster.instanceOf(direct)).toBe(instance);
  }

  // Written through one instance, read through the other.
  const created = await adele.api('/api/conversations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Across instances' }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const writer = cluster.instanceOf(created);
  const reader = cluster.instances.find((i) => i !== writer);
  expect(writer && reader).toBeTruthy();
  const read = await fetch(`${reader?.url}/api/conversations/${id}`, {
    headers: { cookie: adele.cookie, 'x-csrf': '1' },
  });
  expect(read.status).toBe(200);
  expect(((await read.json()) as { title: string }).title).toBe('Across instances');

  // The client's address reached the BFF through nginx (TRUST_PROXY=1), and nginx logged who answered.
  const upstreams = new Set(
    cluster
      .nginxAccessLog()
      .map((line) => /upstream=(\S+)/.exec(line)?.[1])
      .filter((u): u is string => !!u && u !== '-'),
  );
  expect(upstreams).toEqual(new Set(cluster.instances.map((i) => `127.0.0.1:${i.port}`)));
});

test('200 concurrent requests on an expired access token, spread over the instances, redeem the refresh token once', async () => {
  // Signed in with a 2-second access token, which then expires (the BFFs run on the real clock);
  // the refreshed one lives an hour, so one refresh serves every later request.
  cluster.emulator.control.setAccessTokenLifetime(2);
  const megan = await cluster.signIn('megan@contoso.test');
  await new Promise((done) => setTimeout(done, 2500));
  cluster.emulator.control.setAccessTokenLifetime(3600);
  cluster.emulator.control.resetCounters();

  const responses = await Promise.all(Array.from({ length: 200 }, () => megan.api('/api/auth/session')));
  const statuses: Record<number, number> = {};
  for (const r of responses) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const spread = answeredBy(responses);
  const refreshes = cluster.emulator.control.counters().token.refresh_token?.[GATEHOUSE_CLIENT_ID] ?? 0;
  const summary = `statuses ${JSON.stringify(statuses)}, answered by ${JSON.stringify(spread)}, ${refreshes} refresh(es)`;
  expect(statuses, summary).toEqual({ 200: 200 });
  expect(Object.keys(spread).sort(), summary).toEqual(['0', '1']);
  expect(refreshes, summary).toBe(1);
});

// Last in this file: it spends the sign-in allowance of this machine's address at this nginx.
test('the sign-in rate limit holds for the whole fleet, not per instance', async () => {
  const start = () =>
    fetch(`${cluster.url}/oauth/openid?returnTo=%2F`, {
      redirect: 'manual',
      headers: { accept: 'text/html' },
    });
  // 45 starts from one address: each instance alone would let 30 a minute through, so without a
  // shared count all 45 would reach the provider.
  const began = Date.now();
  const responses = await Promise.all(Array.from({ length: 45 }, start));
  const elapsedMs = Date.now() - began;
  const started = responses.filter((r) => r.status === 302);
  const refused = responses.filter((r) => r.status === 429);
  const summary = `statuses ${responses.map((r) => r.status).join(',')} in ${elapsedMs} ms`;
  expect(started.length + refused.length, summary).toBe(45);
  // 30 at once (nginx's burst, the first request included on a fresh zone, one more when the
  // clock ticked over a 2-s step), plus one more for every 2 s the burst took.
  expect(started.length, summary).toBeGreaterThanOrEqual(30);
  expect(started.length, summary).toBeLessThanOrEqual(31 + Math.ceil(elapsedMs / 2000));
  expect(refused.length, summary).toBeGreaterThan(0);
  expect(Object.keys(answeredBy(started)).sort(), summary).toEqual(['0', '1']);
  expect(refused[0]?.headers.get('retry-after')).toBe('2');
  expect(refused[0]?.headers.get('cache-control')).toBe('no-store');
  expect(refused[0]?.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(refused[0]?.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await refused[0]?.text()).toContain('Too many sign-in attempts from this address');
  // Everything else is not limited by it.
  expect((await fetch(`${cluster.url}/api/config`, { headers: { 'x-csrf': '1' } })).status).toBe(200);
});
