import type { CloudId } from '@gatehouse/config';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { EmulatorControl } from './control';
import type { FaultSpec } from './faults';

/**
 * The control API over HTTP, JSON in and out, under `/_emulator`. State-changing calls must send
 * `Content-Type: application/json`: a cross-site page cannot do that without a CORS preflight, which this
 * API never grants, so a web page cannot drive a developer's emulator.
 */
export function createControlRoutes(control: EmulatorControl) {
  const app = new Hono();

  const body = async <T>(c: Context): Promise<T> => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
      throw new TypeError('Send the control request as JSON, with Content-Type: application/json.');
    }
    const text = await c.req.text();
    if (!text) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TypeError('The request body is not valid JSON.');
    }
  };

  app.onError((error, c) => {
    if (error instanceof TypeError) return c.json({ error: 'bad_request', message: error.message }, 400);
    throw error;
  });

  app.get('/counters', (c) => c.json(control.counters()));
  app.delete('/counters', (c) => {
    control.resetCounters();
    return c.body(null, 204);
  });
  app.post('/reset', async (c) => {
    await body(c);
    control.reset();
    return c.body(null, 204);
  });
  app.get('/settings', (c) => c.json(control.settings()));
  app.post('/settings', async (c) => {
    const input = await body<{
      accessTokenLifetimeSeconds?: number;
      refreshTokenInactivitySeconds?: number;
      refreshTokenReuse?: 'allow' | 'revoke';
      tokenEndpointDown?: boolean;
      cloud?: CloudId;
    }>(c);
    if (input.cloud !== undefined) control.setCloud(input.cloud);
    if (input.accessTokenLifetimeSeconds !== undefined)
      control.setAccessTokenLifetime(input.accessTokenLifetimeSeconds);
    if (input.refreshTokenInactivitySeconds !== undefined)
      control.setRefreshTokenInactivity(input.refreshTokenInactivitySeconds);
    if (input.refreshTokenReuse !== undefined) control.setRefreshTokenReuse(input.refreshTokenReuse);
    if (input.tokenEndpointDown !== undefined) control.tokenEndpointDown(Boolean(input.tokenEndpointDown));
    return c.json(control.settings());
  });
  app.get('/faults', (c) => c.json({ faults: control.faults() }));
  app.post('/faults', async (c) => c.json({ id: control.fault(await body<FaultSpec>(c)) }, 201));
  app.delete('/faults', (c) => {
    control.clearFaults();
    return c.body(null, 204);
  });
  app.post('/token-endpoint', async (c) => {
    const input = await body<{ down?: boolean }>(c);
    control.tokenEndpointDown(Boolean(input.down));
    return c.json(control.settings());
  });
  app.post('/keys/rotate', async (c) => {
    const input = await body<{ keepOld?: boolean }>(c);
    return c.json({ kid: control.rotateKeys({ keepOld: Boolean(input.keepOld) }) });
  });
  app.post('/users/:user/revoke-refresh-tokens', async (c) => {
    await body(c);
    return c.json({ revoked: control.revokeRefreshTokens(c.req.param('user')) });
  });
  app.post('/users/:user/expire-refresh-tokens', async (c) => {
    await body(c);
    return c.json({ expired: control.expireRefreshTokens(c.req.param('user')) });
  });
  app.post('/app-roles', async (c) => {
    const input = await body<{ user: string; role: string; clientId?: string }>(c);
    control.addAppRole(required(input.user, 'user'), required(input.role, 'role'), input.clientId);
    return c.body(null, 204);
  });
  app.delete('/app-roles', async (c) => {
    const input = await body<{ user: string; role: string; clientId?: string }>(c);
    control.removeAppRole(required(input.user, 'user'), required(input.role, 'role'), input.clientId);
    return c.body(null, 204);
  });
  app.post('/groups/:group/members', async (c) => {
    const input = await body<{ user: string }>(c);
    control.addToGroup(required(input.user, 'user'), c.req.param('group'));
    return c.body(null, 204);
  });
  app.delete('/groups/:group/members/:user', (c) => {
    control.removeFromGroup(c.req.param('user'), c.req.param('group'));
    return c.body(null, 204);
  });
  app.post('/drive-items/:item/readers', async (c) => {
    const input = await body<{ readers?: string[] | null }>(c);
    if (input.readers === undefined)
      throw new TypeError('"readers" is required: a list of users or groups, or null to restore the seed.');
    control.setItemReaders(c.req.param('item'), input.readers);
    return c.body(null, 204);
  });
  return app;
}

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`"${name}" is required (a string).`);
  return value;
}
