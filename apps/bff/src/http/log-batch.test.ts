import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogBatcher } from './log-batch';

function sink() {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => writes.push(chunk), flush: vi.fn((cb?: () => void) => cb?.()) };
}

describe('createLogBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('hands lines on as one write once a batch is full, in order', () => {
    const out = sink();
    const batcher = createLogBatcher(out, { batchBytes: 10, flushMs: 60_000 });
    batcher.write('aaaa\n');
    expect(out.writes).toEqual([]);
    batcher.write('bbbb\n');
    expect(out.writes).toEqual(['aaaa\nbbbb\n']);
    batcher.write('c\n');
    expect(out.writes).toEqual(['aaaa\nbbbb\n']);
  });

  it('hands pending lines on within the flush interval', () => {
    vi.useFakeTimers();
    const out = sink();
    const batcher = createLogBatcher(out, { batchBytes: 4096, flushMs: 250 });
    batcher.write('one\n');
    vi.advanceTimersByTime(249);
    expect(out.writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out.writes).toEqual(['one\n']);
  });

  it('flush() hands pending lines on and asks the sink to write them', () => {
    const out = sink();
    const batcher = createLogBatcher(out, { batchBytes: 4096, flushMs: 60_000 });
    batcher.write('error line\n');
    const done = vi.fn();
    batcher.flush(done);
    expect(out.writes).toEqual(['error line\n']);
    expect(out.flush).toHaveBeenCalledOnce();
    expect(done).toHaveBeenCalledOnce();
  });

  it('writes pending lines when the process exits right after logging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-exit-'));
    const file = join(dir, 'bff.log');
    const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
    try {
      // A line well under the batch size and no time for the interval: only the exit hook writes it.
      const script = `
        const { createLogger } = await import(${JSON.stringify(logger)});
        const log = createLogger({ level: 'info', file: ${JSON.stringify(file)} });
        setTimeout(() => { log.info({ n: 1 }, 'last words'); process.exit(0); }, 50);
      `;
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: 'pipe',
      });
      expect(JSON.parse(readFileSync(file, 'utf8').trim())).toMatchObject({ msg: 'last words', n: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
