/** Where batches go: pino's sonic-boom destination (or any stream with `write`). */
export interface LogSink {
  write(chunk: string): unknown;
  flush?(cb?: (err?: Error) => void): void;
  flushSync?(): void;
}

export interface LogBatchOptions {
  /** A batch is handed on once this many characters are pending. */
  batchBytes: number;
  /** Pending lines are handed on at least this often (ms). */
  flushMs: number;
}

export interface LogBatcher {
  write(line: string): void;
  /** Hands pending lines on now and asks the sink to write them (pino's `logger.flush()`). */
  flush(cb?: (err?: Error) => void): void;
  /** Hands pending lines on and writes them synchronously (exit). */
  flushSync(): void;
}

/** Live batchers, flushed when the process exits. Weak: a logger that is gone needs no flush. */
const live = new Set<WeakRef<LogBatcher>>();
const flushAllSync = () => {
  for (const ref of live) {
    try {
      ref.deref()?.flushSync();
    } catch {
      // The destination never opened (an exit right after start): nothing can be written.
    }
  }
};
// Registered when this module loads, so before pino's own exit hook (it registers with the first
// destination): pending lines reach the sink before pino flushes or ends it.
process.on('exit', flushAllSync);
process.on('beforeExit', flushAllSync);

/**
 * Gathers log lines and hands them to `sink` a batch at a time: once `batchBytes` are pending, at
 * least every `flushMs`, on `flush()` and at process exit. A line costs an array push.
 *
 * Why not sonic-boom's own batching (`minLength`): its `write` measures the UTF-8 length of the
 * whole pending buffer on every call, flattening it, so each request line cost about 3 µs at a
 * 4 KiB batch, the largest single item of the signed-in request (docs/performance.md). Here
 * sonic-boom still does what it is good at — opening the file, partial and retried writes, writing
 * synchronously at exit — but sees one write per batch.
 */
export function createLogBatcher(sink: LogSink, options: LogBatchOptions): LogBatcher {
  let pending: string[] = [];
  let size = 0;
  const handOn = () => {
    if (pending.length === 0) return;
    const batch = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    size = 0;
    sink.write(batch);
  };
  const batcher: LogBatcher = {
    write(line) {
      pending.push(line);
      size += line.length;
      if (size >= options.batchBytes) handOn();
    },
    flush(cb) {
      handOn();
      if (sink.flush) sink.flush(cb);
      else cb?.();
    },
    flushSync() {
      handOn();
      sink.flushSync?.();
    },
  };
  const ref = new WeakRef(batcher);
  live.add(ref);
  const timer = setInterval(() => {
    handOn();
    if (!ref.deref()) {
      clearInterval(timer);
      live.delete(ref);
    }
  }, options.flushMs);
  timer.unref();
  return batcher;
}
