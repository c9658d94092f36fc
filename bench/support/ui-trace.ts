/**
 * Reads a Chromium trace of the UI benchmark's scroll: how much CPU the page's main thread spent
 * per frame and on what. Thread CPU time (`tdur`) does not grow when other processes share the
 * cores, unlike the wall-clock frame times, so it compares two versions of the list fairly on a
 * loaded machine.
 */

/** The trace categories this analysis needs (top-level tasks and the timeline's named events). */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface TraceSummary {
  /** Main-thread CPU ms between consecutive animation frame callbacks, one value per frame. */
  cpuPerFrame: number[];
  /** Main-thread CPU ms by event name, own time only (children subtracted), largest first. */
  selfCpuByName: [string, number][];
  frames: number;
  /** CPU ms per frame of every thread of every Chromium process (top-level tasks), largest first;
   * the renderer's worker threads (raster) are summed under one name. */
  cpuByThread: [string, number][];
}

const TASK = 'ThreadControllerImpl::RunTask';
/** A task of a worker thread (raster workers among them). */
const POOL_TASK = 'ThreadPool_RunTask';
const ANIMATION_FRAME = 'FireAnimationFrame';

/** The renderer main thread that ran the animation frame callbacks (the page's, not DevTools'). */
function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const counts = new Map<string, number>();
  for (const event of events) {
    if (event.name !== ANIMATION_FRAME) continue;
    const key = `${event.pid}:${event.tid}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid = 0, tid = 0] = best[0].split(':').map(Number);
  return { pid, tid };
}

/** Top-level task CPU per thread between `first` and `last` (µs), per frame, named by process. */
function cpuByThread(
  events: readonly TraceEvent[],
  first: number,
  last: number,
  frames: number,
): [string, number][] {
  const names = new Map<string, string>();
  for (const event of events) {
    if (event.ph !== 'M') continue;
    if (event.name === 'process_name') names.set(`p${event.pid}`, event.args?.name ?? '');
    if (event.name === 'thread_name') names.set(`${event.pid}:${event.tid}`, event.args?.name ?? '');
  }
  const cpu = new Map<string, number>();
  for (const event of events) {
    const isTask = event.name === TASK || event.name === POOL_TASK;
    if (!isTask || event.ph !== 'X' || event.ts < first || event.ts > last) continue;
    const thread = names.get(`${event.pid}:${event.tid}`) ?? String(event.tid);
    const key = `${names.get(`p${event.pid}`) ?? event.pid}/${thread.replace(/\d+$/, '')}`;
    cpu.set(key, (cpu.get(key) ?? 0) + (event.tdur ?? 0) / 1000 / Math.max(1, frames));
  }
  return [...cpu].sort((a, b) => b[1] - a[1]);
}

export function summarizeTrace(buffer: Buffer): TraceSummary {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const all = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const thread = mainThread(all);
  if (!thread) return { cpuPerFrame: [], selfCpuByName: [], frames: 0, cpuByThread: [] };
  const events = all
    .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.tdur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  // The frame's task runs every animation frame callback of the frame (the probe's and the list's):
  // the frame starts with that task.
  const tasks = events.filter((e) => e.name === TASK);
  const frameStarts: number[] = [];
  let next = 0;
  for (const callback of events) {
    if (callback.name !== ANIMATION_FRAME) continue;
    while (next < tasks.length && (tasks[next]?.ts ?? 0) <= callback.ts) next++;
    const task = tasks[next - 1];
    const start = task && task.ts + (task.dur ?? 0) >= callback.ts ? task.ts : callback.ts;
    if (frameStarts.at(-1) !== start) frameStarts.push(start);
  }
  const cpuPerFrame = frameStarts.slice(0, -1).map(() => 0);
  const frameOf = (ts: number): number => {
    let low = 0;
    let high = frameStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((frameStarts[mid] ?? 0) <= ts) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  // A task is counted in the frame whose callback ran last before the task started.
  for (const task of tasks) {
    const frame = frameOf(task.ts);
    if (task.ts < (frameStarts[0] ?? 0) || frame >= cpuPerFrame.length) continue;
    cpuPerFrame[frame] = (cpuPerFrame[frame] ?? 0) + (task.tdur ?? 0) / 1000;
  }

  // Own CPU time per name: events nest properly on one thread, so a stack gives each its children.
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  const first = frameStarts[0] ?? 0;
  const last = frameStarts.at(-1) ?? 0;
  for (const event of events) {
    if (event.ts < first || event.ts > last) continue;
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= event.ts) stack.pop();
    const cpu = (event.tdur ?? 0) / 1000;
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - cpu);
    self.set(event.name, (self.get(event.name) ?? 0) + cpu);
    stack.push({ end: event.ts + (event.dur ?? 0), name: event.name });
  }
  const selfCpuByName = [...self].sort((a, b) => b[1] - a[1]);
  const frames = cpuPerFrame.length;
  return { cpuPerFrame, selfCpuByName, frames, cpuByThread: cpuByThread(all, first, last, frames) };
}
