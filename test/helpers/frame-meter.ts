/**
 * The page's frames while something runs in it: installs `globalThis.measureFrames(run)` in a
 * page, which awaits `run()` while counting requestAnimationFrame callbacks and returns the
 * longest gap between two of them (or between a frame and the run's start or end: a page that
 * never paints shows one gap of the whole run). Used by test/browser-yield.test.ts and
 * bench/browser-worker.ts.
 */
import type { Page } from 'playwright-core';

export interface FrameStats {
  /** Longest time without a frame while `run` ran (ms). */
  longestGap: number;
  /** Frames painted while `run` ran. */
  frames: number;
  /** How long `run` took (ms). */
  ms: number;
}

/** In the page: `(run: () => Promise<unknown>) => Promise<FrameStats>`. */
export type MeasureFrames = (run: () => Promise<unknown>) => Promise<FrameStats>;

export async function installFrameMeter(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap named functions in a __name helper the page lacks.
  await page.evaluate(`globalThis.measureFrames = async (run) => {
    const frames = [];
    let measuring = true;
    const frame = (t) => {
      frames.push(t);
      if (measuring) requestAnimationFrame(frame);
    };
    // Start on a frame, so the first gap is not the wait for the page's first paint.
    await new Promise((r) => requestAnimationFrame(() => r()));
    requestAnimationFrame(frame);
    const start = performance.now();
    await run();
    const end = performance.now();
    measuring = false;
    const during = [start, ...frames.filter((t) => t > start && t < end), end];
    let longestGap = 0;
    for (let i = 1; i < during.length; i++) longestGap = Math.max(longestGap, during[i] - during[i - 1]);
    return { longestGap, frames: during.length - 2, ms: end - start };
  };`);
}
