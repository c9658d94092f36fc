/**
 * Runs an action once a burst of pokes has settled: `delayMs` after the last `poke()`. A fling
 * through the message list pokes it every frame; one timer serves the whole burst (re-armed for the
 * time left when it fires early) instead of a clearTimeout and a new setTimeout per frame.
 */
export class SettleTimer {
  readonly #delayMs: number;
  readonly #action: () => void;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When the action may run: `delayMs` after the last poke. */
  #due = 0;

  constructor(delayMs: number, action: () => void, now: () => number = () => performance.now()) {
    this.#delayMs = delayMs;
    this.#action = action;
    this.#now = now;
  }

  /** Whether a poke is waiting to settle. */
  get isPending(): boolean {
    return this.#timer !== undefined;
  }

  poke(): void {
    this.#due = this.#now() + this.#delayMs;
    if (this.#timer === undefined) this.#arm(this.#delayMs);
  }

  /** Forgets the pending pokes: the action does not run. */
  cancel(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      const left = this.#due - this.#now();
      if (left > 0) {
        this.#arm(left);
        return;
      }
      this.#timer = undefined;
      this.#action();
    }, delayMs);
  }
}
