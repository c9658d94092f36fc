import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettleTimer } from '../../../../../src-renderer/src/lib/list/settle-timer';

describe('settle timer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function timer(): { settle: SettleTimer; runs: () => number } {
    let count = 0;
    const settle = new SettleTimer(
      50,
      () => (count += 1),
      () => Date.now(),
    );
    return { settle, runs: () => count };
  }

  it('runs once, the delay after the last of a burst of pokes', () => {
    const { settle, runs } = timer();
    for (let frame = 0; frame < 10; frame++) {
      settle.poke();
      vi.advanceTimersByTime(16);
    }
    // 160 ms of pokes every 16 ms: the burst has not settled yet.
    expect(runs()).toBe(0);
    expect(settle.isPending).toBe(true);
    vi.advanceTimersByTime(33);
    expect(runs()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs()).toBe(1);
    expect(settle.isPending).toBe(false);
    vi.advanceTimersByTime(500);
    expect(runs()).toBe(1);
  });

  it('keeps one timer for the whole burst', () => {
    const { settle } = timer();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    for (let frame = 0; frame < 20; frame++) settle.poke();
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    setTimeoutSpy.mockRestore();
  });

  it('does not run after cancel, and runs again after a new poke', () => {
    const { settle, runs } = timer();
    settle.poke();
    vi.advanceTimersByTime(20);
    settle.cancel();
    expect(settle.isPending).toBe(false);
    vi.advanceTimersByTime(200);
    expect(runs()).toBe(0);
    settle.poke();
    vi.advanceTimersByTime(50);
    expect(runs()).toBe(1);
  });
});
