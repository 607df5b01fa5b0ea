/** Keras-like training progress: a live bar on a TTY, a few plain lines otherwise. */
export type Logs = Record<string, number>;

export interface ProgressOutput {
  /** Writes text without a newline (used for the live bar); absent = no live bar. */
  write?: (text: string) => void;
  /** Writes one whole line. */
  line: (text: string) => void;
}

/** stdout when there is one (Node), console.log otherwise (browsers). */
export function defaultOutput(): ProgressOutput {
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): unknown } } }).process?.stdout;
  if (stdout?.isTTY) return { write: (s) => void stdout.write(s), line: (s) => void stdout.write(`${s}\n`) };
  return { line: (s) => console.log(s) };
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${v.toFixed(4)}`)
    .join('');
}

function formatSeconds(s: number): string {
  if (s >= 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `${Math.round(s)}s`;
}

function formatStepTime(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(1)}s/step` : seconds >= 1e-3 ? `${Math.round(seconds * 1e3)}ms/step` : `${Math.round(seconds * 1e6)}us/step`;
}

export class EpochProgress {
  private readonly start = now();
  private lastDraw = 0;
  private nextPlainStep: number;
  private readonly width: number;

  constructor(
    private readonly steps: number,
    private readonly out: ProgressOutput,
  ) {
    this.width = String(steps).length;
    this.nextPlainStep = Math.max(1, Math.ceil(steps / 10));
  }

  update(step: number, logs: Logs): void {
    const t = now();
    if (this.out.write) {
      if (t - this.lastDraw < 0.1 && step < this.steps) return;
      this.lastDraw = t;
      this.out.write(`\r${this.bar(step)} - ETA: ${formatSeconds(this.eta(step, t))}${formatLogs(logs)}\x1b[K`);
    } else if (step >= this.nextPlainStep && step < this.steps) {
      this.nextPlainStep += Math.max(1, Math.ceil(this.steps / 10));
      this.out.line(`${this.bar(step)} - ETA: ${formatSeconds(this.eta(step, t))}${formatLogs(logs)}`);
    }
  }

  end(logs: Logs): void {
    const elapsed = now() - this.start;
    const text = `${this.bar(this.steps)} - ${formatSeconds(elapsed)} ${formatStepTime(elapsed / this.steps)}${formatLogs(logs)}`;
    if (this.out.write) this.out.write(`\r${text}\x1b[K\n`);
    else this.out.line(text);
  }

  private eta(step: number, t: number): number {
    return step > 0 ? ((t - this.start) / step) * (this.steps - step) : 0;
  }

  private bar(step: number): string {
    const full = 30;
    const done = Math.floor((full * step) / this.steps);
    const head = done < full ? '>' : '';
    const dots = '.'.repeat(Math.max(0, full - done - head.length));
    return `${String(step).padStart(this.width)}/${this.steps} [${'='.repeat(done)}${head}${dots}]`;
  }
}

/** Seconds since an arbitrary origin, from the monotonic clock. */
export function now(): number {
  return performance.now() / 1000;
}
