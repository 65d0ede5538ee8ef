import { describe, expect, it } from 'vitest';
import { acknowledge, errorResult, parsePortMessage, successResult, tokenResult } from './messages';

describe('parsePortMessage', () => {
  it('reads the three known commands and keeps the id as it came', () => {
    expect(
      parsePortMessage({
        type: 'command',
        id: 'a1',
        data: { command: 'authenticate', resource: 'https://x', type: 'SharePoint' },
      }),
    ).toEqual({
      kind: 'command',
      id: 'a1',
      command: { command: 'authenticate', resource: 'https://x' },
    });
    expect(parsePortMessage({ type: 'command', id: 7, data: { command: 'pick', items: [] } })).toEqual({
      kind: 'command',
      id: 7,
      command: { command: 'pick', items: [] },
    });
    expect(parsePortMessage({ type: 'command', id: 'c', data: { command: 'close' } })).toMatchObject({
      command: { command: 'close' },
    });
  });

  it('turns unknown or missing command names into unsupported (answerable) commands', () => {
    expect(parsePortMessage({ type: 'command', id: 'x', data: { command: 'share' } })).toEqual({
      kind: 'command',
      id: 'x',
      command: { command: 'unsupported', name: 'share' },
    });
    expect(parsePortMessage({ type: 'command', id: 'x' })).toMatchObject({
      command: { command: 'unsupported', name: '' },
    });
    expect(
      parsePortMessage({ type: 'command', id: 'x', data: { command: { toString: 'pick' } } }),
    ).toMatchObject({
      command: { command: 'unsupported' },
    });
  });

  it('calls messages without a usable id, of an unknown type or not objects invalid', () => {
    for (const data of [
      null,
      'command',
      [],
      42,
      { type: 'command', data: { command: 'pick' } },
      { type: 'command', id: '', data: { command: 'pick' } },
      { type: 'command', id: { a: 1 }, data: { command: 'pick' } },
      { type: 'command', id: Number.NaN, data: { command: 'pick' } },
      { type: 'command', id: 'x'.repeat(201), data: { command: 'pick' } },
      { type: 'initialize', channelId: 'c' },
      { type: 'result', id: 'x' },
    ]) {
      expect(parsePortMessage(data).kind, JSON.stringify(data)).toBe('invalid');
    }
  });

  it('reads notifications', () => {
    expect(parsePortMessage({ type: 'notification', data: { notification: 'page-loaded' } })).toEqual({
      kind: 'notification',
      notification: 'page-loaded',
    });
  });
});

describe('replies', () => {
  it('have the documented shapes', () => {
    expect(acknowledge('1')).toEqual({ type: 'acknowledge', id: '1' });
    expect(tokenResult('1', 't')).toEqual({ type: 'result', id: '1', data: { result: 'token', token: 't' } });
    expect(successResult(2)).toEqual({ type: 'result', id: 2, data: { result: 'success' } });
    expect(errorResult('3', 'unsupportedCommand', 'share')).toEqual({
      type: 'result',
      id: '3',
      data: { result: 'error', error: { code: 'unsupportedCommand', message: 'share' } },
    });
  });
});
