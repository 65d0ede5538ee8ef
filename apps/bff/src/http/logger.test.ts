import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger, jsonString, requestLogger, scrub, tenths } from './logger';
import { requestId } from './request-id';

function capture(level: 'debug' | 'warn' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger({ level, destination }), lines, raw };
}

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJl';

describe('createLogger', () => {
  it('redacts secrets at any depth, whatever the key looks like', () => {
    const { log, raw } = capture();
    log.info(
      {
        req: {
          headers: {
            authorization: 'Bearer abc',
            cookie: '__Host-gatehouse=cookie-value-1',
            accept: 'text/html',
          },
        },
        res: { headers: { 'set-cookie': '__Host-gatehouse=cookie-value-2' } },
        query: { code: 'auth-code-123', state: 'state-456', session_state: 'session-state-1' },
        tokens: { access_token: 'at-1', refreshToken: 'rt-1', id_token: jwt },
        body: { client_secret: 'cs-1', password: 'pw-1', code_verifier: 'cv-1', nonce: 'n-1' },
        sessionId: 'session-id-1',
        list: [{ accessToken: 'at-2' }],
        keep: 'visible',
      },
      'callback',
    );
    const line = raw.join('');
    for (const secret of [
      'Bearer abc',
      'cookie-value-1',
      'cookie-value-2',
      'session-state-1',
      'auth-code-123',
      'state-456',
      'at-1',
      'rt-1',
      jwt,
      'cs-1',
      'pw-1',
      'cv-1',
      'n-1',
      'session-id-1',
      'at-2',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('visible');
    expect(line).toContain('text/html');
  });

  it('removes JWTs from messages and error text, and keeps the error useful', () => {
    const { log, lines, raw } = capture();
    const cause = new Error(`provider said: invalid id_token ${jwt}`);
    log.error({ err: new Error('refresh failed', { cause }) }, `token was ${jwt}`);
    expect(raw.join('')).not.toContain(jwt);
    expect(lines[0]).toMatchObject({
      msg: 'token was [Redacted JWT]',
      err: {
        type: 'Error',
        message: 'refresh failed',
        cause: { message: 'provider said: invalid id_token [Redacted JWT]' },
      },
    });
  });

  it('scrubs an error logged on its own', () => {
    const { log, lines } = capture();
    log.error(new Error(`bad token ${jwt}`));
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'bad token [Redacted JWT]' } });
  });

  it('scrub leaves ordinary values alone', () => {
    expect(scrub({ a: 1, b: [true, null, 'x'], c: { d: 'e' } })).toEqual({
      a: 1,
      b: [true, null, 'x'],
      c: { d: 'e' },
    });
  });
});

describe('createLogger default destination', () => {
  it('writes lines to the file in batches, within the flush interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
    const file = join(dir, 'bff.log');
    try {
      const log = createLogger({ level: 'info', file });
      log.info({ n: 1 }, 'first');
      log.info({ n: 2 }, 'second');
      await new Promise((resolve) => setTimeout(resolve, 400)); // > the 250 ms flush interval
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toMatchObject([
        { msg: 'first', n: 1 },
        { msg: 'second', n: 2 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('requestLogger', () => {
  it('logs method, path without the query, status, duration and request id', async () => {
    const { log, lines, raw } = capture();
    const app = new Hono();
    app.use(requestId(), requestLogger(log));
    app.get('/oauth/openid/callback', (c) => c.text('ok'));
    app.get('/boom', (c) => c.text('no', 503));
    const res = await app.request('/oauth/openid/callback?code=the-code&state=the-state');
    await app.request('/boom');
    expect(raw.join('')).not.toContain('the-code');
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      path: '/oauth/openid/callback',
      status: 200,
      reqId: res.headers.get('x-request-id'),
      ms: expect.any(Number),
    });
    expect(lines[1]).toMatchObject({ level: 50, status: 503 });
  });

  it('writes the line pino itself would write for those fields, with a child logger’s bindings', async () => {
    const { log, raw } = capture();
    const child = log.child({ instance: 'bff-1' });
    const app = new Hono();
    app.use(requestId({ generate: () => 'id"1' }), requestLogger(child));
    app.get('*', (c) => c.text('ok'));
    await app.request('/a"b/café');
    const ours = JSON.parse(raw[0]!) as Record<string, unknown>;
    child.info({ reqId: 'id"1', method: 'GET', path: '/a"b/café', status: 200, ms: ours.ms }, 'request');
    const pinos = JSON.parse(raw[1]!) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(pinos));
    expect({ ...ours, time: 0 }).toEqual({ ...pinos, time: 0 });
    expect(ours).toMatchObject({ instance: 'bff-1', path: '/a"b/café', reqId: 'id"1' });
  });

  it('follows the log level: no request lines at warn, 5xx lines still', async () => {
    const { log, lines } = capture('warn');
    const app = new Hono();
    app.use(requestLogger(log));
    app.get('/ok', (c) => c.text('ok'));
    app.get('/boom', (c) => c.text('no', 502));
    await app.request('/ok');
    await app.request('/boom');
    expect(lines).toEqual([expect.objectContaining({ level: 50, status: 502, path: '/boom' })]);
  });

  it('redacts a JWT pasted into the path', async () => {
    const { log, lines, raw } = capture();
    const app = new Hono();
    app.use(requestLogger(log));
    app.get('*', (c) => c.text('ok'));
    await app.request(`/api/files/${jwt}`);
    expect(raw.join('')).not.toContain(jwt);
    expect(lines[0]).toMatchObject({ path: '/api/files/[Redacted JWT]', status: 200 });
  });
});

describe('jsonString and tenths (the request line written by hand)', () => {
  it('jsonString is JSON.stringify for a string, whatever it holds', () => {
    const values = [
      '',
      'GET',
      '/api/auth/session',
      'a1B2-c3=',
      'a"b',
      'a\\b',
      'tab\there',
      '\u0000',
      '\u007f',
      'café',
      '\ud800',
      '😀',
      "/x'y~z%20",
    ];
    for (const value of values) expect(jsonString(value)).toBe(JSON.stringify(value));
  });

  it('tenths writes String(Math.round(ms * 10) / 10) for durations from 0 to hours', () => {
    const durations = [
      0, 0.04, 0.05, 0.06, 0.1, 0.15, 0.25, 0.95, 0.99, 1, 1.05, 9.96, 10, 123.45, 59_999.95, 3_600_000.04,
    ];
    for (let i = 0; i < 20_000; i++) durations.push((i * 7.31) % 5000, i / 997);
    for (const ms of durations) expect(tenths(ms), String(ms)).toBe(String(Math.round(ms * 10) / 10));
  });
});
