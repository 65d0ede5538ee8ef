import { afterEach, describe, expect, it, vi } from 'vitest';
import { uniqueChannelName } from '../../testing/test-utils';
import { type AuthChannel, createAuthChannel } from './auth-channel';

const opened: Array<AuthChannel | BroadcastChannel> = [];
afterEach(() => {
  for (const channel of opened.splice(0)) channel.close();
});

function open(name: string) {
  const channel = createAuthChannel({}, { name });
  opened.push(channel);
  return channel;
}

describe('createAuthChannel', () => {
  it('carries sign-in and sign-out news between tabs, and only that', async () => {
    const name = uniqueChannelName();
    const a = open(name);
    const b = open(name);
    const heard = vi.fn();
    b.subscribe(heard);
    const raw = new BroadcastChannel(name);
    opened.push(raw);

    raw.postMessage({ type: 'something-else' });
    raw.postMessage('signed-out');
    raw.postMessage({ type: 'signed-out', token: 'should not travel' });
    a.post({ type: 'signed-in' });

    await vi.waitFor(() => expect(heard).toHaveBeenCalledTimes(2));
    expect(heard.mock.calls).toEqual([[{ type: 'signed-out' }], [{ type: 'signed-in' }]]);
  });

  it('stops delivering after unsubscribe and close', async () => {
    const name = uniqueChannelName();
    const a = open(name);
    const b = open(name);
    const heard = vi.fn();
    const unsubscribe = b.subscribe(heard);
    unsubscribe();
    a.post({ type: 'signed-out' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).not.toHaveBeenCalled();
  });

  it('is a silent no-op where BroadcastChannel does not exist', () => {
    const channel = createAuthChannel({ createChannel: null });
    expect(() => channel.post({ type: 'signed-in' })).not.toThrow();
    expect(channel.subscribe(() => {})).toBeTypeOf('function');
    channel.close();
  });
});
