/**
 * Progress of a check, shaped like the API's `sync.progress` event. A new phase is reported at
 * once; counts within a phase at most every PROGRESS_INTERVAL_MS, plus the last one.
 */
import type { AccountId } from '../../domain/ids';

export const POP3_PHASES = ['connecting', 'listing', 'deleting', 'downloading', 'done', 'failed'] as const;
export type Pop3Phase = (typeof POP3_PHASES)[number];

export interface Pop3Progress {
  accountId: AccountId;
  phase: Pop3Phase;
  done: number;
  total: number;
}

/** At most 10 events a second: enough for a progress bar, no flood over IPC. */
export const PROGRESS_INTERVAL_MS = 100;

export class ProgressReporter {
  private phase: Pop3Phase | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly accountId: AccountId,
    private readonly listener: ((progress: Pop3Progress) => void) | undefined,
    private readonly now: () => number,
  ) {}

  report(phase: Pop3Phase, done: number, total: number): void {
    if (!this.listener) return;
    const at = this.now();
    const isNewPhase = phase !== this.phase;
    if (!isNewPhase && done < total && at - this.lastAt < PROGRESS_INTERVAL_MS) return;
    this.phase = phase;
    this.lastAt = at;
    this.listener({ accountId: this.accountId, phase, done, total });
  }
}
