/**
 * Runs the CPU-heavy part of requests (decoding, preprocessing) first come first served,
 * in slices of a few milliseconds, one slice per turn of the event loop.
 *
 * Why: a request's synchronous work otherwise runs inside the poll phase, right after
 * its bytes arrive, so one turn of the loop does the work of every request that is
 * ready (dozens of connections × a photo's decode), and Node accepts only about one new
 * connection per turn. Under load, late connections then waited seconds for their first
 * answer (bench/load.ts --payloads shows the p99). With slices, a turn
 * stays short, new connections and bodies are read between slices, and every queued
 * request waits about the same time.
 */
export class WorkQueue {
  private readonly jobs: (() => void)[] = [];
  private scheduled = false;

  /**
   * A slice long enough for one server process's whole queue of small images, so they share
   * one model.predict, and short enough to take only a photo or two (bench/load.ts).
   */
  constructor(private readonly sliceMs = 16) {}

  /**
   * Queues `work`. It is started inside a slice; an async function runs synchronously up
   * to its first await (for predictImage: decoding and preprocessing, up to the batched
   * classifier), which is the part that is sliced.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        try {
          work().then(resolve, reject);
        } catch (err) {
          reject(err);
        }
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.slice);
      }
    });
  }

  /** Requests waiting to start. */
  get pending(): number {
    return this.jobs.length;
  }

  private readonly slice = (): void => {
    const end = performance.now() + this.sliceMs;
    let started = 0;
    do this.jobs[started++]!();
    while (started < this.jobs.length && performance.now() < end);
    this.jobs.splice(0, started); // at most one job per open connection remains
    if (this.jobs.length > 0) setImmediate(this.slice);
    else this.scheduled = false;
  };
}
