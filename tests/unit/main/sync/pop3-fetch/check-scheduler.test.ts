import { describe, expect, it } from 'vitest';
import {
  CheckScheduler,
  MAX_BACKOFF_MS,
  MIN_INTERVAL_MS,
  MAX_LOGIN_DELAY_MS,
  backoffDelay,
  loginDelayMs,
} from '../../../../../src-main/sync/pop3-fetch';
import { ManualClock, ManualTimers } from './manual-timers';

const INTERVAL_MS = 5 * 60_000;

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

describe('CheckScheduler and RFC 2449 LOGIN-DELAY', () => {
  const LOGIN_DELAY_S = 900; // 15 minutes, more than the interval

  function schedulerWithDelay(): {
    scheduler: CheckScheduler;
    timers: ManualTimers;
    clock: ManualClock;
    checks: () => number;
  } {
    const timers = new ManualTimers();
    const clock = new ManualClock();
    let checks = 0;
    const scheduler: CheckScheduler = new CheckScheduler({
      intervalMs: INTERVAL_MS,
      timers,
      now: clock.now,
      check: async () => {
        checks++;
        // What the engine does when the client reads CAPA after login.
        scheduler.setLoginDelay(LOGIN_DELAY_S);
      },
    });
    return { scheduler, timers, clock, checks: () => checks };
  }

  it('schedules the next check no earlier than the server allows the next login', async () => {
    const { scheduler, timers } = schedulerWithDelay();
    scheduler.start();
    await scheduler.runNow();
    expect(timers.delays).toEqual([LOGIN_DELAY_S * 1_000]);
  });

  it('defers "Get mail" asked for too soon, sending nothing, and checks when it is allowed', async () => {
    const { scheduler, timers, clock, checks } = schedulerWithDelay();
    scheduler.start();
    await expect(scheduler.runNow()).resolves.toBe('checked');
    clock.advance(60_000);
    await expect(scheduler.runNow()).resolves.toBe('deferred');
    expect(checks()).toBe(1);
    expect(scheduler.loginWaitMs).toBe((LOGIN_DELAY_S - 60) * 1_000);
    expect(timers.delays).toEqual([(LOGIN_DELAY_S - 60) * 1_000]);
    clock.advance((LOGIN_DELAY_S - 60) * 1_000);
    timers.fireAll();
    await flush();
    expect(checks()).toBe(2);
  });

  it('counts a login made outside the scheduler (opening a large message)', async () => {
    const { scheduler, clock, checks } = schedulerWithDelay();
    await scheduler.runNow();
    clock.advance(LOGIN_DELAY_S * 1_000);
    scheduler.noteLogin();
    await expect(scheduler.runNow()).resolves.toBe('deferred');
    clock.advance(LOGIN_DELAY_S * 1_000);
    await expect(scheduler.runNow()).resolves.toBe('checked');
    expect(checks()).toBe(2);
  });

  it('forgets the delay when the server stops stating one', async () => {
    const { scheduler, clock } = schedulerWithDelay();
    await scheduler.runNow();
    scheduler.setLoginDelay(null);
    clock.advance(1_000);
    expect(scheduler.loginWaitMs).toBe(0);
  });

  it('stop() cancels a deferred check', async () => {
    const { scheduler, timers, checks } = schedulerWithDelay();
    await scheduler.runNow();
    await scheduler.runNow();
    expect(timers.delays).toHaveLength(1);
    scheduler.stop();
    expect(timers.delays).toEqual([]);
    expect(checks()).toBe(1);
  });
});

describe('loginDelayMs', () => {
  it('reads whole seconds and ignores what is not a positive number', () => {
    expect(loginDelayMs(300)).toBe(300_000);
    expect(loginDelayMs(0)).toBe(0);
    expect(loginDelayMs(-5)).toBe(0);
    expect(loginDelayMs(null)).toBe(0);
    expect(loginDelayMs(Number.NaN)).toBe(0);
    expect(loginDelayMs(10 ** 12)).toBe(MAX_LOGIN_DELAY_MS);
  });
});
