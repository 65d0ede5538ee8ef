/**
 * The v8 messages on the picker's MessagePort, both ways. Incoming data is untrusted: everything is
 * read field by field, and what does not fit is named, never thrown.
 */

/** A command's id is opaque to the host and echoed back as it came. */
export type CommandId = string | number;

export type PickerCommand =
  | { command: 'authenticate'; resource: unknown }
  | { command: 'pick'; items: unknown }
  | { command: 'close' }
  /** Any other name (custom actions, future commands); answered `unsupportedCommand`. */
  | { command: 'unsupported'; name: string };

export type PortMessage =
  | { kind: 'command'; id: CommandId; command: PickerCommand }
  | { kind: 'notification'; notification: string }
  /** Not a message the host can answer (no usable id, not an object, unknown `type`). */
  | { kind: 'invalid'; problem: string };

const maxIdLength = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function commandId(value: unknown): CommandId | null {
  if (typeof value === 'string' && value.length > 0 && value.length <= maxIdLength) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return null;
}

/** Reads one message from the port. */
export function parsePortMessage(data: unknown): PortMessage {
  if (!isRecord(data)) return { kind: 'invalid', problem: 'not an object' };
  if (data.type === 'notification') {
    const payload = isRecord(data.data) ? data.data : {};
    const notification = typeof payload.notification === 'string' ? payload.notification : '';
    return { kind: 'notification', notification: notification.slice(0, 100) };
  }
  if (data.type !== 'command')
    return { kind: 'invalid', problem: `unexpected type ${String(data.type).slice(0, 40)}` };
  const id = commandId(data.id);
  if (id === null) return { kind: 'invalid', problem: 'command without a usable id' };
  const body = isRecord(data.data) ? data.data : {};
  const name = typeof body.command === 'string' ? body.command : '';
  switch (name) {
    case 'authenticate':
      return { kind: 'command', id, command: { command: 'authenticate', resource: body.resource } };
    case 'pick':
      return { kind: 'command', id, command: { command: 'pick', items: body.items } };
    case 'close':
      return { kind: 'command', id, command: { command: 'close' } };
    default:
      return { kind: 'command', id, command: { command: 'unsupported', name: name.slice(0, 100) } };
  }
}

/** The error codes the v8 docs name for results. */
export type PickerErrorCode = 'unableToObtainToken' | 'unusableItem' | 'unsupportedCommand';

export type HostMessage =
  | { type: 'activate' }
  | { type: 'acknowledge'; id: CommandId }
  | { type: 'result'; id: CommandId; data: { result: 'token'; token: string } }
  | { type: 'result'; id: CommandId; data: { result: 'success' } }
  | {
      type: 'result';
      id: CommandId;
      data: { result: 'error'; error: { code: PickerErrorCode; message: string } };
    };

export const activate = (): HostMessage => ({ type: 'activate' });
export const acknowledge = (id: CommandId): HostMessage => ({ type: 'acknowledge', id });
export const tokenResult = (id: CommandId, token: string): HostMessage => ({
  type: 'result',
  id,
  data: { result: 'token', token },
});
export const successResult = (id: CommandId): HostMessage => ({
  type: 'result',
  id,
  data: { result: 'success' },
});
export const errorResult = (id: CommandId, code: PickerErrorCode, message: string): HostMessage => ({
  type: 'result',
  id,
  data: { result: 'error', error: { code, message } },
});
