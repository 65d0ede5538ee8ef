import type { DriveItemRef } from '@gatehouse/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createPickerHost, type PickerHostEvent, type PickerHostOptions, type PickerPort } from './host';

const sharepoint = 'http://127.0.0.1:3091';
const channelId = '5d0c7a2e-0c1f-4a5e-9a55-0f4f1c9e7c11';
const driveId = 'b!W4aBxKqlT6477cv7gQaVS3SnQlizM';

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

/** The picker's side: a real MessageChannel whose port2 the "picker" keeps, and what the host sent it. */
function pickerChannel() {
  const channel = new MessageChannel();
  opened.push(channel.port1, channel.port2);
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  channel.port2.addEventListener('message', (event) => {
    received.push((event as unknown as { data: unknown }).data);
    for (const wake of waiters.splice(0)) wake();
  });
  channel.port2.start();
  return {
    hostPort: channel.port1 as unknown as PickerPort,
    received,
    send: (data: unknown) => channel.port2.postMessage(data),
    /** Waits until `count` messages have arrived (or fails after 1 s). */
    async until(count: number) {
      const deadline = Date.now() + 1000;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} messages arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
  };
}

function setup(overrides: Partial<PickerHostOptions> = {}) {
  const frameWindow = { name: 'the iframe' };
  const events: PickerHostEvent[] = [];
  const picks: DriveItemRef[][] = [];
  const resources: string[] = [];
  let closed = 0;
  const host = createPickerHost({
    sharepointBaseUrl: sharepoint,
    channelId,
    pickerWindow: () => frameWindow,
    authenticate: async (resource) => {
      resources.push(resource);
      return 'sp-token';
    },
    pick: (items) => {
      picks.push(items);
    },
    close: () => {
      closed += 1;
    },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  const picker = pickerChannel();
  const initialize = (patch: Record<string, unknown> = {}) =>
    host.handleWindowMessage({
      origin: sharepoint,
      source: frameWindow,
      data: { type: 'initialize', channelId },
      ports: [picker.hostPort],
      ...patch,
    });
  return { host, picker, initialize, frameWindow, events, picks, resources, closed: () => closed };
}

describe('initialize', () => {
  it('binds the port and activates it for the right origin, window and channel', async () => {
    const { host, picker, initialize } = setup();
    expect(initialize()).toBe(true);
    expect(host.connected).toBe(true);
    expect(await picker.until(1)).toEqual([{ type: 'activate' }]);
    host.dispose();
  });

  it.each([
    ['another origin', { origin: 'https://evil.test' }, 'wrong_origin'],
    ['the app’s own origin', { origin: 'http://localhost:3080' }, 'wrong_origin'],
    ['another window', { source: { name: 'a popup of evil' } }, 'wrong_window'],
    ['no window', { source: null }, 'wrong_window'],
    ['another channel', { data: { type: 'initialize', channelId: 'guessed' } }, 'wrong_channel'],
    ['no channel', { data: { type: 'initialize' } }, 'wrong_channel'],
    ['not initialize', { data: { type: 'command', channelId } }, 'not_initialize'],
    ['a string', { data: `{"type":"initialize","channelId":"${channelId}"}` }, 'not_initialize'],
    ['no port', { ports: [] }, 'no_port'],
    ['a port that is not one', { ports: [{}] }, 'no_port'],
  ])('refuses an initialize from %s', async (_name, patch, reason) => {
    const { host, picker, initialize, events } = setup();
    expect(initialize(patch)).toBe(false);
    expect(host.connected).toBe(false);
    expect(events).toEqual([{ type: 'refused', reason }]);
    // Nothing was sent on the port the forger offered.
    picker.send({ type: 'command', id: '1', data: { command: 'authenticate', resource: sharepoint } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(picker.received).toEqual([]);
  });

  it('refuses everything once the iframe is gone', () => {
    const { initialize } = setup({ pickerWindow: () => null });
    expect(initialize()).toBe(false);
  });

  it('rebinds to the new port when the picker page reloads, and stops answering on the old one', async () => {
    const first = setup();
    first.initialize();
    await first.picker.until(1);
    const second = pickerChannel();
    expect(first.initialize({ ports: [second.hostPort] })).toBe(true);
    await second.until(1);
    first.picker.send({ type: 'command', id: 'old', data: { command: 'close' } });
    second.send({ type: 'command', id: 'new', data: { command: 'close' } });
    await second.until(3);
    expect(second.received.slice(1)).toEqual([
      { type: 'acknowledge', id: 'new' },
      { type: 'result', id: 'new', data: { result: 'success' } },
    ]);
    expect(first.picker.received).toEqual([{ type: 'activate' }]);
    first.host.dispose();
  });
});

describe('commands', () => {
  it('answers authenticate with a token for the SharePoint origin, after an acknowledge', async () => {
    const { host, picker, initialize, resources } = setup();
    initialize();
    picker.send({
      type: 'command',
      id: 'a1',
      data: { command: 'authenticate', resource: sharepoint, type: 'SharePoint' },
    });
    expect((await picker.until(3)).slice(1)).toEqual([
      { type: 'acknowledge', id: 'a1' },
      { type: 'result', id: 'a1', data: { result: 'token', token: 'sp-token' } },
    ]);
    expect(resources).toEqual([sharepoint]);
    host.dispose();
  });

  it('refuses a token for any other resource without asking for one', async () => {
    const { host, picker, initialize, resources } = setup();
    initialize();
    picker.send({
      type: 'command',
      id: 'a2',
      data: { command: 'authenticate', resource: 'https://graph.microsoft.com' },
    });
    picker.send({ type: 'command', id: 'a3', data: { command: 'authenticate' } });
    const received = await picker.until(5);
    expect(received[2]).toMatchObject({
      id: 'a2',
      data: { result: 'error', error: { code: 'unableToObtainToken' } },
    });
    expect(received[4]).toMatchObject({
      id: 'a3',
      data: { result: 'error', error: { code: 'unableToObtainToken' } },
    });
    expect(resources).toEqual([]);
    host.dispose();
  });

  it('turns a failed token request into unableToObtainToken with its message', async () => {
    const { host, picker, initialize } = setup({
      authenticate: () => Promise.reject(new Error('Your session has ended')),
    });
    initialize();
    picker.send({ type: 'command', id: 'a4', data: { command: 'authenticate', resource: sharepoint } });
    expect((await picker.until(3))[2]).toEqual({
      type: 'result',
      id: 'a4',
      data: { result: 'error', error: { code: 'unableToObtainToken', message: 'Your session has ended' } },
    });
    host.dispose();
  });

  it('hands over only the ids of a pick with forged URLs, then answers success', async () => {
    const { host, picker, initialize, picks } = setup();
    initialize();
    picker.send({
      type: 'command',
      id: 'p1',
      data: {
        command: 'pick',
        items: [
          {
            id: '01PVONFUV3OF5ETUX45FF2PSDL3KWXUKAZ',
            parentReference: { driveId },
            name: 'Plan.pdf',
            '@sharePoint.endpoint': 'https://evil.test/_api/v2.0',
            '@microsoft.graph.downloadUrl': 'https://evil.test/steal',
            webUrl: 'https://evil.test',
          },
        ],
      },
    });
    expect((await picker.until(3)).slice(1)).toEqual([
      { type: 'acknowledge', id: 'p1' },
      { type: 'result', id: 'p1', data: { result: 'success' } },
    ]);
    expect(picks).toEqual([[{ driveId, itemId: '01PVONFUV3OF5ETUX45FF2PSDL3KWXUKAZ' }]]);
    host.dispose();
  });

  it('answers unusableItem to a pick with bad ids, and when attaching fails', async () => {
    const failing = setup({ pick: () => Promise.reject(new Error('You can only view this conversation')) });
    failing.initialize();
    failing.picker.send({
      type: 'command',
      id: 'p2',
      data: { command: 'pick', items: [{ id: '../x', parentReference: { driveId } }] },
    });
    failing.picker.send({
      type: 'command',
      id: 'p3',
      data: { command: 'pick', items: [{ id: '01A', parentReference: { driveId } }] },
    });
    const received = await failing.picker.until(5);
    expect(received[2]).toMatchObject({
      id: 'p2',
      data: { result: 'error', error: { code: 'unusableItem' } },
    });
    expect(received[4]).toEqual({
      type: 'result',
      id: 'p3',
      data: {
        result: 'error',
        error: { code: 'unusableItem', message: 'You can only view this conversation' },
      },
    });
    failing.host.dispose();
  });

  it('answers close and closes; anything else is unsupportedCommand naming it', async () => {
    const { host, picker, initialize, closed } = setup();
    initialize();
    picker.send({ type: 'command', id: 'u1', data: { command: 'share' } });
    picker.send({ type: 'command', id: 'c1', data: { command: 'close' } });
    const received = await picker.until(5);
    expect(received.slice(1)).toEqual([
      { type: 'acknowledge', id: 'u1' },
      {
        type: 'result',
        id: 'u1',
        data: { result: 'error', error: { code: 'unsupportedCommand', message: 'share' } },
      },
      { type: 'acknowledge', id: 'c1' },
      { type: 'result', id: 'c1', data: { result: 'success' } },
    ]);
    expect(closed()).toBe(1);
    host.dispose();
  });

  it('ignores malformed port messages and notifications without replying', async () => {
    const { host, picker, initialize, events } = setup();
    initialize();
    for (const data of [
      null,
      'pick',
      { type: 'command', data: { command: 'close' } },
      { type: 'bogus', id: '1' },
    ]) {
      picker.send(data);
    }
    picker.send({ type: 'notification', data: { notification: 'page-loaded' } });
    picker.send({ type: 'command', id: 'last', data: { command: 'close' } });
    await picker.until(3);
    expect(picker.received.slice(1)).toEqual([
      { type: 'acknowledge', id: 'last' },
      { type: 'result', id: 'last', data: { result: 'success' } },
    ]);
    expect(events.filter((event) => event.type === 'invalid')).toHaveLength(4);
    expect(events).toContainEqual({ type: 'notification', notification: 'page-loaded' });
    host.dispose();
  });

  it('sends no result after dispose (a token that arrives late stays here)', async () => {
    let release: (token: string) => void = () => {};
    const { host, picker, initialize } = setup({
      authenticate: () => new Promise<string>((resolve) => (release = resolve)),
    });
    initialize();
    picker.send({ type: 'command', id: 'late', data: { command: 'authenticate', resource: sharepoint } });
    await picker.until(2);
    host.dispose();
    release('late-token');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(picker.received).toEqual([{ type: 'activate' }, { type: 'acknowledge', id: 'late' }]);
    expect(initialize()).toBe(false);
  });
});
