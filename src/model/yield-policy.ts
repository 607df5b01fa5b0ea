/**
 * fit's `yieldEvery`: how often a training loop gives the event loop a turn. Training is one long
 * chain of synchronous steps; without turns a page cannot paint or take input, and timers and
 * messages (a worker's cancel) wait for the whole fit.
 */

/** Milliseconds between turns, `'batch'` (after every batch), `'never'`, or `'auto'`. */
export type YieldEvery = number | 'batch' | 'never' | 'auto';

/** What a loop needs to yield on time. */
export interface YieldPolicy {
  /** Seconds that may pass between turns: 0 after every batch, Infinity never. */
  readonly interval: number;
  /** Gives timers, messages, input and rendering one turn (a macrotask, not a microtask). */
  readonly turn: () => Promise<void>;
}

// A turn gets a paint only when a frame is due (every ~16.7 ms at 60 Hz); otherwise training
// resumes at once. So the longest frame is about one frame period + this interval + one batch
// step: 10 ms keeps frames under 50 ms while a batch takes under ~20 ms. A turn without a paint
// is one message round trip, cheap next to a batch.
const PAGE_INTERVAL_S = 0.01;
// Node and workers have nothing to paint: a turn this often keeps timers and I/O (and a
// worker's messages) moving, and costs nothing next to 200 ms of training.
const BACKGROUND_INTERVAL_S = 0.2;

/** Checks and resolves `yieldEvery`; `what` names the call in the error ('fit'). */
export function yieldPolicy(value: YieldEvery | undefined, what: string): YieldPolicy {
  const v = value ?? 'auto';
  if (v === 'auto') return { interval: onPageMainThread() ? PAGE_INTERVAL_S : BACKGROUND_INTERVAL_S, turn: macrotask };
  if (v === 'batch') return { interval: 0, turn: macrotask };
  if (v === 'never') return { interval: Infinity, turn: macrotask };
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { interval: v / 1000, turn: macrotask };
  throw new Error(`${what}: yieldEvery must be a number of milliseconds ≥ 0, 'batch', 'never' or 'auto'; got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
}

/** A browser window's main thread, where a long task freezes the page (not a worker, not Node). */
function onPageMainThread(): boolean {
  const g = globalThis as { document?: unknown; importScripts?: unknown; process?: { versions?: { node?: string } } };
  return typeof g.document === 'object' && g.document !== null && typeof g.importScripts !== 'function' && g.process?.versions?.node === undefined;
}

// Node has setImmediate: a macrotask that lets due timers and I/O run first, with no
// listener left to keep the process alive. Browsers and workers: a MessageChannel message,
// without setTimeout's 4 ms clamp on nested timers, so a turn per batch stays cheap. One channel
// serves every loop in this realm; each turn posts one message and its arrival resolves the
// oldest waiting turn.
let channel: { port: MessagePort; waiting: (() => void)[] } | null = null;

function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (run: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate!(r));
  if (typeof g.MessageChannel !== 'function') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    const { port1, port2 } = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    port1.onmessage = () => waiting.shift()?.();
    channel = { port: port2, waiting };
  }
  const { port, waiting } = channel;
  return new Promise((r) => {
    waiting.push(r);
    port.postMessage(null);
  });
}
