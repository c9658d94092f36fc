/**
 * Runs read-modify-write steps on a vault file one at a time, so that two concurrent set() calls
 * in this process cannot lose each other's update.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
