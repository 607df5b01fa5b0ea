/**
 * How many threads `wasmnn predict` reads files with when --jobs is not given. A worker thread
 * costs a start (its own model load and WASM compile) and starts with cold code, and the main
 * thread still writes every row, so workers only pay off when decoding dominates: many bytes in
 * large files (photos). A folder of small PNGs (canvas exports, MNIST-style 28x28) is read
 * faster on one thread however many files it has (bench/predict-folder.ts; the README has the
 * end-to-end runs that set these limits).
 */
import { stat } from 'node:fs/promises';

/** Workers are used when the files add up to at least this many bytes... */
export const WORKERS_MIN_TOTAL_BYTES = 2 << 20;
/** ...and average at least this many per file. */
export const WORKERS_MIN_MEAN_BYTES = 4 << 10;

/** The default thread count for files of these sizes on a machine with `cores` cores: 1 or 2. */
export function defaultJobs(sizes: readonly number[], cores: number): number {
  if (cores < 2 || sizes.length < 2) return 1;
  const total = sizes.reduce((a, b) => a + b, 0);
  return total >= WORKERS_MIN_TOTAL_BYTES && total / sizes.length >= WORKERS_MIN_MEAN_BYTES ? 2 : 1;
}

/** Each file's size in bytes; 0 for one that cannot be read (its row will say why). */
export function fileSizes(files: readonly string[]): Promise<number[]> {
  return Promise.all(files.map((f) => stat(f).then((s) => (s.isFile() ? s.size : 0), () => 0)));
}
