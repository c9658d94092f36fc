/** Scheduler timers that fire only when a test says so (CheckScheduler, Pop3Engine). */
import type { SchedulerTimers } from '../../../../../src-main/sync/pop3-fetch';

export class ManualTimers implements SchedulerTimers {
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

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public nowMs = Date.UTC(2026, 10, 23, 12, 0, 0)) {}
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}
