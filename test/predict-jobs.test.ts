/** `wasmnn predict`'s default thread count (src/cli/predict-jobs.ts): workers only for many bytes of large files. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultJobs, fileSizes, WORKERS_MIN_MEAN_BYTES, WORKERS_MIN_TOTAL_BYTES } from '../src/cli/predict-jobs.js';

const KB = 1024;

test('one thread for one file, one core, small files however many, or too few bytes', () => {
  assert.is(defaultJobs([5 * WORKERS_MIN_TOTAL_BYTES], 2), 1, 'one big photo');
  assert.is(defaultJobs([3000 * KB, 3000 * KB], 1), 1, 'one core');
  assert.is(defaultJobs(new Array<number>(10_000).fill(310), 2), 1, '10,000 small PNGs (3 MB)');
  assert.is(defaultJobs(new Array<number>(100).fill(12 * KB), 2), 1, '100 JPEGs, 1.2 MB');
  assert.is(defaultJobs([], 2), 1);
});

test('two threads for photos that add up, never more than two by default', () => {
  assert.is(defaultJobs(new Array<number>(400).fill(12 * KB), 2), 2, '400 JPEGs, 4.7 MB');
  assert.is(defaultJobs([3000 * KB, 3000 * KB], 8), 2, 'two phone photos');
  // The edges: exactly the total and exactly the mean.
  const n = WORKERS_MIN_TOTAL_BYTES / WORKERS_MIN_MEAN_BYTES;
  assert.is(defaultJobs(new Array<number>(n).fill(WORKERS_MIN_MEAN_BYTES), 2), 2);
  assert.is(defaultJobs(new Array<number>(n).fill(WORKERS_MIN_MEAN_BYTES - 1), 2), 1);
});

test('fileSizes: bytes per file, 0 for a missing file or a directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-jobs-'));
  try {
    await writeFile(join(dir, 'a.png'), new Uint8Array(123));
    assert.equal(await fileSizes([join(dir, 'a.png'), join(dir, 'missing.png'), dir]), [123, 0, 0]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
