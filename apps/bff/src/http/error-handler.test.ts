import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { errorHandler, notFound } from './error-handler';
import { AppError } from './errors';

function setup() {
  const logged: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const log = {
    warn: (object: object, message: string) =>
      logged.push({ level: 'warn', object: object as never, message }),
    error: (object: object, message: string) =>
      logged.push({ level: 'error', object: object as never, message }),
  };
  const app = new Hono();
  app.onError(errorHandler({ log }));
  app.notFound(notFound());
  app.get('/api/role', () => {
    throw new AppError('role_required', 'You need the role Gatehouse.User.', {
      reason: 'role_removed',
      details: { requiredRoles: ['Gatehouse.User'] },
    });
  });
  app.get('/api/provider', () => {
    throw new AppError('provider_unavailable', 'The identity provider is not answering.', {
      cause: new Error('ECONNREFUSED'),
    });
  });
  app.get('/api/crash', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/api/too-big', () => {
    throw new HTTPException(413, { message: 'Payload Too Large' });
  });
  return { app, logged };
}

describe('errorHandler', () => {
  it('turns an AppError into its status and body', async () => {
    const { app, logged } = setup();
    const res = await app.request('/api/role');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'role_required',
      reason: 'role_removed',
      message: 'You need the role Gatehouse.User.',
      requiredRoles: ['Gatehouse.User'],
    });
    expect(logged).toEqual([]);
  });

  it('logs the cause of a 5xx AppError but does not send it', async () => {
    const { app, logged } = setup();
    const res = await app.request('/api/provider');
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('ECONNREFUSED');
    expect(logged[0]).toMatchObject({ level: 'warn', message: 'The identity provider is not answering.' });
  });

  it('hides an unexpected error behind a generic 500 and logs it', async () => {
    const { app, logged } = setup();
    const res = await app.request('/api/crash');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('hunter2');
    expect(JSON.parse(body)).toEqual({ error: 'internal', message: expect.stringContaining('went wrong') });
    expect(logged[0]?.level).toBe('error');
    expect(String((logged[0]!.object.err as Error).message)).toContain('hunter2');
  });

  it('keeps the 4xx status of a hono HTTPException', async () => {
    const res = await setup().app.request('/api/too-big');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'bad_request', message: 'Payload Too Large' });
  });
});

describe('notFound', () => {
  it('answers JSON under /api and plain text elsewhere', async () => {
    const { app } = setup();
    const api = await app.request('/api/nope', { method: 'POST' });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      error: 'not_found',
      message: 'There is no API route POST /api/nope.',
    });
    const page = await app.request('/nope');
    expect(page.status).toBe(404);
    expect(await page.text()).toBe('Not found');
  });
});
