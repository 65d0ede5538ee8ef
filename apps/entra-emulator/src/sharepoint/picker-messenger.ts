/**
 * The File Picker v8 side of the host protocol, as browser JavaScript served inside the picker page
 * (and evaluated by the protocol test in Node, which has the same MessageChannel):
 *
 * - `start()` creates a MessageChannel and posts `{ type: 'initialize', channelId }` with one port to the
 *   opener or parent, at `messaging.origin` only; the host answers `{ type: 'activate' }` on the port.
 * - `command(data)` posts `{ type: 'command', id, data }` and resolves with the `result`'s data, after an
 *   `acknowledge` within `acknowledgeTimeout`; a result `{ result: 'error', error }` rejects with the
 *   host's code and message. `close` needs no result.
 * - `notify(data)` posts a notification, which needs no answer.
 */
export const PICKER_MESSENGER_JS = `
function createPickerMessenger(env) {
  var channel = new env.MessageChannel();
  var port = channel.port1;
  var pending = new Map();
  var counter = 0;
  var activated = false;
  var initTimer = null;

  function hostError(code, message) {
    var error = new Error(message);
    error.code = code;
    return error;
  }
  function settle(id) {
    var entry = pending.get(id);
    if (!entry) return null;
    pending.delete(id);
    env.clearTimeout(entry.ackTimer);
    env.clearTimeout(entry.resultTimer);
    return entry;
  }

  port.onmessage = function (event) {
    var message = event.data;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'activate') {
      env.clearTimeout(initTimer);
      if (!activated) {
        activated = true;
        env.onActivate();
      }
      return;
    }
    var entry = pending.get(message.id);
    if (!entry) return;
    if (message.type === 'acknowledge') {
      entry.acknowledged = true;
      env.clearTimeout(entry.ackTimer);
      if (!entry.expectResult) {
        settle(message.id);
        entry.resolve({ result: 'acknowledged' });
      }
      return;
    }
    if (message.type === 'result') {
      settle(message.id);
      var data = message.data && typeof message.data === 'object' ? message.data : {};
      if (data.result === 'error' || data.error) {
        var error = data.error && typeof data.error === 'object' ? data.error : {};
        entry.reject(hostError(String(error.code || 'hostError'), String(error.message || 'The host reported an error.')));
      } else {
        entry.resolve(data);
      }
    }
  };

  return {
    start: function () {
      env.target.postMessage({ type: 'initialize', channelId: env.channelId }, env.targetOrigin, [channel.port2]);
      if (port.start) port.start();
      initTimer = env.setTimeout(function () {
        if (!activated) env.onError(hostError('initializeTimeout', 'The host page did not answer "initialize" with "activate".'));
      }, env.initializeTimeout);
    },
    command: function (data) {
      counter += 1;
      var id = env.newId ? env.newId() : 'command-' + counter;
      var expectResult = data.command !== 'close';
      return new Promise(function (resolve, reject) {
        var entry = { resolve: resolve, reject: reject, expectResult: expectResult, acknowledged: false };
        entry.ackTimer = env.setTimeout(function () {
          if (settle(id)) reject(hostError('acknowledgeTimeout', 'The host did not acknowledge the "' + data.command + '" command.'));
        }, env.acknowledgeTimeout);
        if (expectResult) {
          entry.resultTimer = env.setTimeout(function () {
            if (settle(id)) reject(hostError('resultTimeout', 'The host did not answer the "' + data.command + '" command.'));
          }, env.resultTimeout);
        }
        pending.set(id, entry);
        port.postMessage({ type: 'command', id: id, data: data });
      });
    },
    notify: function (data) {
      port.postMessage({ type: 'notification', data: data });
    },
    close: function () {
      port.close();
    },
  };
}
`;
