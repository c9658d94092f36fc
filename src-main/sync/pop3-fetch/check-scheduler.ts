/**
 * "Check for new mail every N minutes": one timer per account, never two checks at once (a tick
 * that comes while a check runs waits for the next interval), and after failures a growing delay,
 * interval × 2^failures up to MAX_BACKOFF_MS, so a server that is down or a wrong password is not
 * hammered. Timers are injectable so tests run without waiting.
 */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CheckSchedulerOptions {
  intervalMs: number;
  /** The check itself (e.g. () => fetcher.checkMail(settings)); a rejection counts as a failure. */
  check: () => Promise<unknown>;
  onError?: (error: unknown) => void;
  timers?: SchedulerTimers;
}

/** The shortest interval accepted: POP3 servers often refuse logins more often (RFC 2449 §6.5 LOGIN-DELAY). */
export const MIN_INTERVAL_MS = 60_000;
/** The longest wait after repeated failures (unless the interval itself is longer). */
export const MAX_BACKOFF_MS = 60 * 60_000;

const realTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function backoffDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(intervalMs, MAX_BACKOFF_MS));
}

export class CheckScheduler {
  private readonly intervalMs: number;
  private readonly timers: SchedulerTimers;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private isStarted = false;
  private failures = 0;

  constructor(private readonly options: CheckSchedulerOptions) {
    this.intervalMs = Math.max(MIN_INTERVAL_MS, options.intervalMs);
    this.timers = options.timers ?? realTimers;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get isChecking(): boolean {
    return this.running !== null;
  }

  /** Starts the timer; the first check comes after one interval (call runNow() for one at once). */
  start(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    this.schedule();
  }

  /** Stops the timer; a check already running finishes on its own. */
  stop(): void {
    this.isStarted = false;
    this.cancelTimer();
  }

  /**
   * Checks now ("Get mail") unless a check is running, in which case it waits for that one. The
   * timer restarts from the end of the check.
   */
  runNow(): Promise<void> {
    if (this.running) return this.running;
    this.cancelTimer();
    const run = this.runCheck().finally(() => {
      this.running = null;
      if (this.isStarted) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async runCheck(): Promise<void> {
    try {
      await this.options.check();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.options.onError?.(error);
    }
  }

  private schedule(): void {
    this.cancelTimer();
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null;
        void this.runNow();
      },
      backoffDelay(this.intervalMs, this.failures),
    );
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
