/**
 * Passes a response body through, reporting the bytes as they go out and, with `cutAfterBytes`, stopping
 * once that many bytes are sent: the stream fails (in-process fetch), or with `endAtCut` it ends early
 * and the caller drops the connection once those bytes are flushed (over HTTP, where failing the stream
 * would make the server append an error text to the body).
 */
export function meteredBody(
  body: ReadableStream<Uint8Array>,
  options: {
    cutAfterBytes?: number | undefined;
    onBytes?: ((bytes: number) => void) | undefined;
    endAtCut?: boolean;
  },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = 0;
  const limit = options.cutAfterBytes ?? Number.POSITIVE_INFINITY;
  const cut = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    void reader.cancel();
    if (options.endAtCut) controller.close();
    else controller.error(new Error(`Connection cut by an emulator fault after ${sent} bytes.`));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= limit) return cut(controller);
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      const chunk = sent + value.byteLength > limit ? value.subarray(0, limit - sent) : value;
      sent += chunk.byteLength;
      options.onBytes?.(chunk.byteLength);
      if (chunk.byteLength > 0) controller.enqueue(chunk);
      if (chunk.byteLength < value.byteLength) cut(controller);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
