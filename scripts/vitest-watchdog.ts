// A Vitest reporter that turns a hung test run into a short failure that names the culprit.
//
// Vitest's per-test and per-hook timeouts cannot fire when a test file never finishes loading,
// when a worker's event loop is blocked, or when the run has ended but the process does not exit;
// CI then sits until its own limit and prints nothing useful. This reporter notes which test file
// and which test each worker is in, reports files that run long, and ends the run with exit code 1
// when a file runs past GATEHOUSE_TEST_FILE_LIMIT_S (default 300 s; the slowest file takes about 30 s)
// or the process lingers past GATEHOUSE_TEST_EXIT_LIMIT_S (default 60 s) after the last result. When
// no test had failed by then, it writes what hung to reports/test-hang.txt, so that CI can tell a
// pure hang (worth one more run) from a run with failing tests (never run again).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

interface Running {
  readonly startedAt: number;
  test?: string;
  warned: boolean;
}

const seconds = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export default class WatchdogReporter implements Reporter {
  readonly #running = new Map<string, Running>();
  readonly #fileLimitMs = seconds('GATEHOUSE_TEST_FILE_LIMIT_S', 300) * 1000;
  readonly #exitLimitMs = seconds('GATEHOUSE_TEST_EXIT_LIMIT_S', 60) * 1000;
  readonly #warnAfterMs = Math.min(120_000, this.#fileLimitMs / 2);
  #timer: NodeJS.Timeout | undefined;
  #failed = 0;

  onInit(): void {
    this.#timer = setInterval(() => this.#check(), 10_000);
    this.#timer.unref();
  }

  // Queued, not started: a file that never finishes loading is never reported as started.
  onTestModuleQueued(module: TestModule): void {
    this.#running.set(module.moduleId, { startedAt: Date.now(), warned: false });
  }

  onTestCaseReady(test: TestCase): void {
    const running = this.#running.get(test.module.moduleId);
    if (running) running.test = test.fullName;
  }

  // Results arrive in batches: a failure just before a worker blocked may not have been counted.
  onTestCaseResult(test: TestCase): void {
    if (test.result().state === 'failed') this.#failed += 1;
  }

  onTestModuleEnd(module: TestModule): void {
    this.#running.delete(module.moduleId);
  }

  onTestRunEnd(): void {
    if (this.#timer) clearInterval(this.#timer);
    // Everything has reported; a process still alive after this holds a handle nobody closed.
    setTimeout(() => {
      fail(
        this.#failed,
        `the test run ended ${this.#exitLimitMs / 1000} s ago but the process has not exited (an open handle)`,
      );
    }, this.#exitLimitMs).unref();
  }

  #check(): void {
    const now = Date.now();
    for (const [file, running] of this.#running) {
      const elapsed = now - running.startedAt;
      const where = `${relative(process.cwd(), file)}${running.test ? ` (in "${running.test}")` : ' (loading, or its first test holds the worker)'}`;
      if (elapsed > this.#fileLimitMs) {
        fail(
          this.#failed,
          `${where} has run for ${Math.round(elapsed / 1000)} s, past the ${this.#fileLimitMs / 1000} s limit`,
        );
      }
      if (!running.warned && elapsed > this.#warnAfterMs) {
        running.warned = true;
        log(`${where} has been running for ${Math.round(elapsed / 1000)} s`);
      }
    }
  }
}

function log(message: string): void {
  process.stderr.write(`[watchdog] ${message}\n`);
}

/** Ends the run with 1, taking the test workers along (an orphaned worker could keep CI's log open). */
function fail(failedTests: number, message: string): never {
  log(`${message}; ending the run with exit code 1`);
  if (failedTests === 0) {
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/test-hang.txt', `${message}\n`);
  } else {
    log(`${failedTests} test(s) had failed before it: not a pure hang`);
  }
  spawnSync('pkill', ['-KILL', '-P', String(process.pid)], { timeout: 5000 });
  process.exit(1);
}
