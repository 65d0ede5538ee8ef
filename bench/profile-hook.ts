/**
 * Preloaded into the bench server by bench/profile-session.ts (`--import`): answers two more IPC
 * messages, `profileStart` and `profileStop` (`{ file }`), with V8's sampling profiler through the
 * in-process inspector, so a profile covers one load phase only, not the sign-in or the other
 * servers' phases. The bench server ignores message types it does not know.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

type ProfileMessage =
  | { type: 'profileStart'; intervalMicros?: number }
  | { type: 'profileStop'; file: string };

const session = new Session();
session.connect();

process.on('message', async (message: ProfileMessage) => {
  if (message.type === 'profileStart') {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: message.intervalMicros ?? 100 });
    await session.post('Profiler.start');
    process.send?.({ type: 'ok' });
  } else if (message.type === 'profileStop') {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(message.file, JSON.stringify(profile));
    await session.post('Profiler.disable');
    process.send?.({ type: 'ok' });
  }
});
