/**
 * "Check for new mail every N minutes": one timer per account, never two checks at once (a tick
 * that comes while a check runs waits for the next interval), and after failures a growing delay,
 * interval × 2^failures up to MAX_BACKOFF_MS, so a server that is down or a wrong password is not
 * hammered. Timers are injectable so tests run without waiting.
 *
 * RFC 2449 §6.5 LOGIN-DELAY: a server may state the minimum number of seconds between logins
 * (in CAPA after login). Every check is a login, so no check, scheduled or asked for, starts
 * before that time has passed since the last login; one asked for too early is deferred to the
 * first allowed moment instead of being refused by the server ([LOGIN-DELAY], RFC 2449 §8.1.2).
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
  /** The clock for LOGIN-DELAY; tests inject one. */
  now?: () => number;
}

/** What runNow did: checked (successfully or not), or deferred because of LOGIN-DELAY. */
export type CheckRunOutcome = 'checked' | 'failed' | 'deferred';

/** The shortest interval accepted: POP3 servers often refuse logins more often (RFC 2449 §6.5 LOGIN-DELAY). */
export const MIN_INTERVAL_MS = 60_000;
/** The longest wait after repeated failures (unless the interval itself is longer). */
export const MAX_BACKOFF_MS = 60 * 60_000;
/** A stated LOGIN-DELAY longer than a day is treated as a day (a broken or hostile CAPA line). */
export const MAX_LOGIN_DELAY_MS = 24 * 60 * 60_000;

const realTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function backoffDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(intervalMs, MAX_BACKOFF_MS));
}

/** RFC 2449 §6.5: the argument is whole seconds; anything else means no stated delay. */
export function loginDelayMs(seconds: number | null | undefined): number {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(Math.floor(seconds) * 1_000, MAX_LOGIN_DELAY_MS);
}

export class CheckScheduler {
  private readonly intervalMs: number;
  private readonly timers: SchedulerTimers;
  private readonly now: () => number;
  private timer: unknown = null;
  /** When the timer fires (ms since the epoch); null without a timer. */
  private timerAt: number | null = null;
  private running: Promise<CheckRunOutcome> | null = null;
  private isStarted = false;
  private failures = 0;
  private lastLoginAt: number | null = null;
  private minLoginGapMs = 0;

  constructor(private readonly options: CheckSchedulerOptions) {
    this.intervalMs = Math.max(MIN_INTERVAL_MS, options.intervalMs);
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? Date.now;
  }

  /**
   * The server's LOGIN-DELAY in seconds as its CAPA stated it after the last login (null: none).
   * Call it from within the check: the next timer is set when the check ends.
   */
  setLoginDelay(seconds: number | null): void {
    this.minLoginGapMs = loginDelayMs(seconds);
  }

  /** A login made outside the scheduler (opening a large message) counts toward LOGIN-DELAY too. */
  noteLogin(): void {
    this.lastLoginAt = this.now();
  }

  /** Milliseconds until the server allows the next login; 0 when it allows one now. */
  get loginWaitMs(): number {
    if (this.lastLoginAt === null || this.minLoginGapMs === 0) return 0;
    return Math.max(0, this.lastLoginAt + this.minLoginGapMs - this.now());
  }

  /** When the next check runs by itself, or null when none is scheduled. */
  get nextCheckAt(): number | null {
    return this.timerAt;
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
   * timer restarts from the end of the check. Too soon after the last login for the server's
   * LOGIN-DELAY, nothing is sent: the check is deferred to the first allowed moment, when the
   * timer runs it (stop() cancels that too).
   */
  runNow(): Promise<CheckRunOutcome> {
    if (this.running) return this.running;
    if (this.loginWaitMs > 0) {
      this.scheduleIn(this.loginWaitMs);
      return Promise.resolve('deferred');
    }
    this.cancelTimer();
    const run = this.runCheck().finally(() => {
      this.running = null;
      if (this.isStarted) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async runCheck(): Promise<CheckRunOutcome> {
    this.lastLoginAt = this.now();
    try {
      await this.options.check();
      this.failures = 0;
      return 'checked';
    } catch (error) {
      this.failures += 1;
      this.options.onError?.(error);
      return 'failed';
    }
  }

  private schedule(): void {
    this.scheduleIn(Math.max(backoffDelay(this.intervalMs, this.failures), this.loginWaitMs));
  }

  private scheduleIn(ms: number): void {
    this.cancelTimer();
    this.timerAt = this.now() + ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      void this.runNow();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
  }
}
