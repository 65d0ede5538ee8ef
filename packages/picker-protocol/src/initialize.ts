/** The parts of a window `message` event the host reads (a DOM `MessageEvent` fits). */
export type WindowMessage = {
  origin: string;
  source: unknown;
  data: unknown;
  ports: ArrayLike<unknown>;
};

export type InitializeExpectation = {
  /** The SharePoint origin the picker was loaded from. */
  origin: string;
  /** The picker's window as the host holds it now (the iframe's `contentWindow`); null when gone. */
  source: unknown;
  channelId: string;
};

export type InitializeRefusal =
  | 'wrong_origin'
  | 'wrong_window'
  | 'not_initialize'
  | 'wrong_channel'
  | 'no_port';

export type InitializeCheck<Port> =
  | { accepted: true; port: Port }
  | { accepted: false; reason: InitializeRefusal };

/**
 * Accepts `{type:'initialize', channelId}` only from the SharePoint origin, the picker's own window and
 * this opening's channel, and only with a port to talk on. Any other window message is refused with
 * the first check it failed (origin first: a message from elsewhere is not looked at further).
 */
export function checkInitialize<Port = unknown>(
  event: WindowMessage,
  expected: InitializeExpectation,
): InitializeCheck<Port> {
  if (event.origin !== expected.origin) return { accepted: false, reason: 'wrong_origin' };
  if (expected.source === null || expected.source === undefined || event.source !== expected.source) {
    return { accepted: false, reason: 'wrong_window' };
  }
  const data = event.data;
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== 'initialize') {
    return { accepted: false, reason: 'not_initialize' };
  }
  if ((data as { channelId?: unknown }).channelId !== expected.channelId) {
    return { accepted: false, reason: 'wrong_channel' };
  }
  const port = event.ports?.[0];
  if (
    typeof port !== 'object' ||
    port === null ||
    typeof (port as { postMessage?: unknown }).postMessage !== 'function'
  ) {
    return { accepted: false, reason: 'no_port' };
  }
  return { accepted: true, port: port as Port };
}
