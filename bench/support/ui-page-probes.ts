/**
 * What the UI benchmark runs inside the page (passed to page.evaluate, so each function is
 * self-contained: no imports, no closures over Node values).
 */

/**
 * Resolves with the ms from the next click on the folder tree to the first frame painted with
 * loaded message rows (a row with a sender cell) whose first row's aria-rowindex is 1.
 */
export function firstRowsAfterNextClick(timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const tree = document.querySelector('[role="tree"]');
    const grid = document.querySelector('[role="grid"]');
    if (!tree || !grid) {
      reject(new Error('no folder tree or message grid'));
      return;
    }
    const deadline = performance.now() + timeoutMs;
    tree.addEventListener(
      'click',
      (event) => {
        const clickedAt = event.timeStamp;
        const check = (): void => {
          const loaded = grid.querySelector('[role="row"][aria-rowindex="1"] .sender');
          if (loaded) {
            // The frame whose rAF saw the rows paints right after it; the next rAF starts after that paint.
            requestAnimationFrame((paintedAt) => resolve(paintedAt - clickedAt));
            return;
          }
          if (performance.now() > deadline) reject(new Error('no rows within the time limit'));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      { capture: true, once: true },
    );
  });
}

export interface ScrollRun {
  /** Per frame: main-thread time from the frame's start to the end of its rendering work. */
  work: number[];
  /** Per frame: time between consecutive frames (capped at the display rate by Chromium). */
  intervals: number[];
  /** Frames painted without a row element for the row at the top of the view (a blank view). */
  framesWithoutTopRow: number;
  reachedEnd: boolean;
  lastRowIndex: number;
  isEndLoaded: boolean;
}

/**
 * Scrolls the message grid from top to bottom by `stepPx` per frame, each step between two frames
 * (see the message handler). For every frame it records
 * the interval between requestAnimationFrame timestamps and the frame's work: from the frame's
 * start (the rAF timestamp, before the scroll event and Svelte's updates of this frame) to a task
 * posted from the rAF callback, which runs once style, layout and paint of the frame are done.
 * Headless Chromium caps frames at 60 Hz, so the interval alone can never show a frame under
 * 16.7 ms; the work is what a frame costs. Stops at the end or after `maxFrames`, then waits up to
 * `settleMs` for the last rows to load.
 */
export function scrollToEnd(args: {
  stepPx: number;
  /** Scroll inside the rAF callback instead of between frames (the bench's former way). */
  isStepInFrame: boolean;
  maxFrames: number;
  settleMs: number;
}): Promise<ScrollRun> {
  return new Promise((resolve, reject) => {
    const viewport = document.querySelector<HTMLElement>('[role="grid"]');
    if (!viewport) {
      reject(new Error('no message grid'));
      return;
    }
    viewport.scrollTop = 0;
    const work: number[] = [];
    const intervals: number[] = [];
    const channel = new MessageChannel();
    let isDone = false;
    // Each frame's start travels with its own message: a message that runs late (after the next
    // frame began) is still measured from its own frame, not from the next one's start. The next
    // scroll step is taken here, between frames, the way a wheel or touchpad scroll reaches the
    // page: the frame then starts with the new position and its scroll event, as for a user.
    // (Setting scrollTop inside the rAF callback instead would move the view after the frame's
    // scroll event, and a list that places its rows in that event would be painted a frame late.)
    channel.port1.onmessage = (event: MessageEvent<number>) => {
      work.push(performance.now() - event.data);
      // What the frame painted: the row at the top of the view must have an element (loaded or a
      // placeholder), or the frame showed a blank list.
      const rowHeight = viewport.querySelector<HTMLElement>('[role="row"]')?.offsetHeight ?? 0;
      const topRow = rowHeight > 0 ? String(Math.floor(viewport.scrollTop / rowHeight) + 1) : '';
      if (!viewport.querySelector(`[role="row"][aria-rowindex="${topRow}"]:not([hidden])`)) {
        framesWithoutTopRow++;
      }
      if (!isDone && !args.isStepInFrame) viewport.scrollTop += args.stepPx;
    };
    let framesWithoutTopRow = 0;
    let previous = -1;
    const finish = (atEnd: boolean): void => {
      const settleUntil = performance.now() + args.settleMs;
      const settle = (): void => {
        // Pooled row elements not needed at the moment are hidden and show no row.
        const rows = [...viewport.querySelectorAll<HTMLElement>('[role="row"]:not([hidden])')];
        const last = Math.max(0, ...rows.map((row) => Number(row.getAttribute('aria-rowindex') ?? 0)));
        const isLoaded = rows.length > 0 && rows.every((row) => row.querySelector('.sender') !== null);
        if (isLoaded || performance.now() > settleUntil) {
          channel.port1.close();
          resolve({
            work,
            intervals,
            framesWithoutTopRow,
            reachedEnd: atEnd,
            lastRowIndex: last,
            isEndLoaded: isLoaded,
          });
        } else setTimeout(settle, 50);
      };
      settle();
    };
    const step = (now: number): void => {
      if (previous >= 0) intervals.push(now - previous);
      previous = now;
      channel.port2.postMessage(now);
      const atEnd = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1;
      if (atEnd || intervals.length >= args.maxFrames) {
        isDone = true;
        finish(atEnd);
        return;
      }
      if (args.isStepInFrame) viewport.scrollTop += args.stepPx;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
