import { describe, expect, it } from 'vitest';
import {
  CheckScheduler,
  MAX_BACKOFF_MS,
  MIN_INTERVAL_MS,
  backoffDelay,
  type SchedulerTimers,
} from '../../../../../src-main/sync/pop3-fetch';

const INTERVAL_MS = 5 * 60_000;

/** Timers that fire only when the test says so. */
class ManualTimers implements SchedulerTimers {
  private nextHandle = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.pending.set(handle, { callback, ms });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** The delays of the timers waiting now. */
  get delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.ms);
  }

  fireAll(): void {
    const timers = [...this.pending.values()];
    this.pending.clear();
    for (const timer of timers) timer.callback();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CheckScheduler', () => {
  it('checks every interval once started, and not after stop', async () => {
    const timers = new ManualTimers();
    let checks = 0;
    const scheduler = new CheckScheduler({
      intervalMs: INTERVAL_MS,
      timers,
      check: async () => void checks++,
    });
    scheduler.start();
    expect(timers.delays).toEqual([INTERVAL_MS]);
    timers.fireAll();
    await flush();
    expect(checks).toBe(1);
    expect(timers.delays).toEqual([INTERVAL_MS]);
    scheduler.stop();
    expect(timers.delays).toEqual([]);
  });

  it('never runs two checks at once: "Get mail" during a check joins it', async () => {
    const timers = new ManualTimers();
    const gate = deferred();
    let started = 0;
    const scheduler = new CheckScheduler({
      intervalMs: INTERVAL_MS,
      timers,
      check: () => {
        started++;
        return gate.promise;
      },
    });
    scheduler.start();
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    expect(scheduler.isChecking).toBe(true);
    expect(timers.delays).toEqual([]); // the timer waits for the running check
    gate.resolve();
    await first;
    expect(started).toBe(1);
    expect(timers.delays).toEqual([INTERVAL_MS]);
  });

  it('backs off after failures, bounded, and returns to the interval after a success', async () => {
    const timers = new ManualTimers();
    let shouldFail = true;
    const errors: unknown[] = [];
    const scheduler = new CheckScheduler({
      intervalMs: INTERVAL_MS,
      timers,
      check: async () => {
        if (shouldFail) throw new Error('server down');
      },
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      timers.fireAll();
      await flush();
      delays.push(...timers.delays);
    }
    expect(delays).toEqual([2, 4, 8, 12, 12, 12].map((factor) => factor * INTERVAL_MS));
    expect(Math.max(...delays)).toBe(MAX_BACKOFF_MS);
    expect(errors).toHaveLength(6);
    expect(scheduler.consecutiveFailures).toBe(6);
    shouldFail = false;
    await scheduler.runNow();
    expect(scheduler.consecutiveFailures).toBe(0);
    expect(timers.delays).toEqual([INTERVAL_MS]);
  });

  it('refuses intervals shorter than a minute', () => {
    const timers = new ManualTimers();
    new CheckScheduler({ intervalMs: 1_000, timers, check: async () => undefined }).start();
    expect(timers.delays).toEqual([MIN_INTERVAL_MS]);
  });
});

describe('backoffDelay', () => {
  it('never exceeds the larger of the interval and MAX_BACKOFF_MS', () => {
    expect(backoffDelay(INTERVAL_MS, 0)).toBe(INTERVAL_MS);
    expect(backoffDelay(INTERVAL_MS, 50)).toBe(MAX_BACKOFF_MS);
    const daily = 24 * 60 * 60_000;
    expect(backoffDelay(daily, 3)).toBe(daily);
  });
});
