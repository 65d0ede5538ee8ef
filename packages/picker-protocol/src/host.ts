import { attachmentLimits, type DriveItemRef } from '@gatehouse/contracts';
import { checkInitialize, type InitializeRefusal, type WindowMessage } from './initialize';
import {
  acknowledge,
  activate,
  type CommandId,
  errorResult,
  type HostMessage,
  parsePortMessage,
  successResult,
  tokenResult,
} from './messages';
import { pickedItemRefs } from './picked-items';
import { allowedResource, sharepointOrigin } from './resources';

/** The MessagePort the picker transfers with `initialize` (a DOM or Node `MessagePort` fits). */
export type PickerPort = {
  postMessage(message: HostMessage): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
};

export type PickerHostEvent =
  | { type: 'refused'; reason: InitializeRefusal }
  | { type: 'connected' }
  | { type: 'notification'; notification: string }
  | { type: 'invalid'; problem: string }
  | { type: 'answered'; command: string; id: CommandId; outcome: 'success' | 'token' | 'error' };

export type PickerHostOptions = {
  /** SHAREPOINT_BASE_URL: its origin is the only one `initialize` is taken from. */
  sharepointBaseUrl: string;
  channelId: string;
  /** The picker's window now (the iframe's `contentWindow`, the popup), or null. */
  pickerWindow: () => unknown;
  /** A SharePoint access token for an allow-listed origin; a rejection becomes `unableToObtainToken`. */
  authenticate: (resource: string) => Promise<string>;
  /** The picked files, by ids only; a rejection becomes `unusableItem` with its message. */
  pick: (items: DriveItemRef[]) => Promise<void> | void;
  /** The user closed the picker. */
  close: () => void;
  maxItems?: number;
  /** What happened, for logs, tests and the UI (never a token). */
  onEvent?: (event: PickerHostEvent) => void;
};

export type PickerHost = {
  /** Give it every `message` event of the host window; true when it was the picker's `initialize`. */
  handleWindowMessage(event: WindowMessage): boolean;
  readonly connected: boolean;
  /** Closes the port; later messages are ignored. */
  dispose(): void;
};

function messageOf(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

/**
 * The host side of File Picker v8. Window messages: only an `initialize` from the SharePoint origin,
 * the picker's window and this channel binds the port (again on a later one: the picker page reloaded).
 * Port: every command is acknowledged at once and then answered exactly once — `authenticate` with a
 * token for an allow-listed resource, `pick` with success once the ids are handed over, `close`, and
 * anything else `unsupportedCommand`.
 */
export function createPickerHost(options: PickerHostOptions): PickerHost {
  const origin = sharepointOrigin(options.sharepointBaseUrl);
  const maxItems = options.maxItems ?? attachmentLimits.maxItems;
  const emit = (event: PickerHostEvent) => options.onEvent?.(event);
  let port: PickerPort | null = null;
  let disposed = false;

  const send = (target: PickerPort, message: HostMessage) => {
    // A port closed under us (picker gone) must not break the host.
    try {
      target.postMessage(message);
    } catch {}
  };

  async function answer(target: PickerPort, data: unknown) {
    const message = parsePortMessage(data);
    if (message.kind === 'notification')
      return emit({ type: 'notification', notification: message.notification });
    if (message.kind === 'invalid') return emit({ type: 'invalid', problem: message.problem });
    send(target, acknowledge(message.id));
    const { command } = message;
    const reply = (result: HostMessage, outcome: 'success' | 'token' | 'error') => {
      if (disposed || port !== target) return;
      send(target, result);
      emit({ type: 'answered', command: command.command, id: message.id, outcome });
    };
    switch (command.command) {
      case 'authenticate': {
        const resource = allowedResource(command.resource, options.sharepointBaseUrl);
        if (!resource) {
          return reply(
            errorResult(
              message.id,
              'unableToObtainToken',
              'Gatehouse gives picker tokens only for its SharePoint site.',
            ),
            'error',
          );
        }
        try {
          return reply(tokenResult(message.id, await options.authenticate(resource)), 'token');
        } catch (error) {
          return reply(
            errorResult(message.id, 'unableToObtainToken', messageOf(error, 'No token for this resource.')),
            'error',
          );
        }
      }
      case 'pick': {
        const picked = pickedItemRefs(command.items, maxItems);
        if (!picked.ok) return reply(errorResult(message.id, 'unusableItem', picked.problem), 'error');
        try {
          await options.pick(picked.items);
          return reply(successResult(message.id), 'success');
        } catch (error) {
          return reply(
            errorResult(message.id, 'unusableItem', messageOf(error, 'The files could not be attached.')),
            'error',
          );
        }
      }
      case 'close':
        reply(successResult(message.id), 'success');
        return options.close();
      case 'unsupported':
        return reply(errorResult(message.id, 'unsupportedCommand', command.name || '(no command)'), 'error');
    }
  }

  const onPortMessage = (event: { data: unknown }) => {
    const target = port;
    if (disposed || !target) return;
    void answer(target, event.data);
  };

  function unbind() {
    if (!port) return;
    port.removeEventListener('message', onPortMessage);
    port.close?.();
    port = null;
  }

  return {
    handleWindowMessage(event) {
      if (disposed) return false;
      const check = checkInitialize<PickerPort>(event, {
        origin,
        source: options.pickerWindow(),
        channelId: options.channelId,
      });
      if (!check.accepted) {
        emit({ type: 'refused', reason: check.reason });
        return false;
      }
      unbind();
      port = check.port;
      port.addEventListener('message', onPortMessage);
      port.start?.();
      send(port, activate());
      emit({ type: 'connected' });
      return true;
    },
    get connected() {
      return port !== null;
    },
    dispose() {
      disposed = true;
      unbind();
    },
  };
}
