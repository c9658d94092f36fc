/** Several accounts' `sync.progress` events as the one progress bar of the status bar. */
export interface SyncProgressEvent {
  readonly accountId: number;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface SyncProgress {
  readonly done: number;
  /** 0 when no running check knows its size yet (the bar is then indeterminate). */
  readonly total: number;
  readonly accounts: number;
}

export function combinedProgress(events: readonly SyncProgressEvent[]): SyncProgress | null {
  if (events.length === 0) return null;
  let done = 0;
  let total = 0;
  let isSizeKnown = true;
  for (const event of events) {
    if (event.total <= 0) isSizeKnown = false;
    done += Math.min(event.done, event.total);
    total += event.total;
  }
  return { done: isSizeKnown ? done : 0, total: isSizeKnown ? total : 0, accounts: events.length };
}
