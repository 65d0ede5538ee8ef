/**
 * The start path (main.ts) with required groups named by display name, against a real emulator:
 * an ambiguous or unknown name stops the process before it listens, with a message that names the
 * value and the candidates. (A start whose names resolve: e2e/tests/required-groups.spec.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devDefaults } from '@gatehouse/config';
import { contosoSeed, type RunningEmulator, startEmulator } from '@gatehouse/entra-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runTsx } from './support/run-tsx';

let emulator: RunningEmulator;
let cwd: string;
beforeAll(async () => {
  emulator = await startEmulator();
  cwd = await mkdtemp(join(tmpdir(), 'gatehouse-groups-start-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(cwd, { recursive: true, force: true });
});

const groupId = (nickname: string) => contosoSeed.groups.find((g) => g.mailNickname === nickname)!.id;

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function start(required: string, timeoutMs?: number) {
  const port = await freePort();
  return runTsx(join(repoRoot, 'apps/bff/src/main.ts'), {
    cwd,
    env: {
      ...devDefaults({ issuer: emulator.issuer, sharepointBaseUrl: emulator.sharepointUrl }),
      OPENID_REQUIRED_ROLE: required,
      OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'groups',
      DATABASE_URL: `sqlite:${join(cwd, 'gatehouse.db')}`,
      ATTACHMENTS_DIR: join(cwd, 'attachments'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

describe('starting with required groups named by display name', () => {
  it('exits 1 before listening when a name is shared by several groups, naming each candidate', async () => {
    const { code, output } = await start('Marketing,Support');
    expect(code).toBe(1);
    expect(output).toContain('OPENID_REQUIRED_ROLE names a group that cannot be used:');
    expect(output).toContain('"Support" is the display name of 2 groups');
    expect(output).toContain(groupId('support-emea'));
    expect(output).toContain(groupId('support-americas'));
    expect(output).not.toContain('listening');
  }, 60_000);

  it('exits 1 when a name is unknown, suggesting the groups whose names are close', async () => {
    const { code, output } = await start('Engineering Team');
    expect(code).toBe(1);
    expect(output).toContain('no group is named "Engineering Team"');
    expect(output).toContain(
      `groups whose names start with "Engineering": Engineering (id ${groupId('engineering')}`,
    );
    expect(output).not.toContain('listening');
  }, 60_000);
});
