/** `wasmnn eval` on the shipped open-set model: its 11th class ("not a digit") has no MNIST label, and eval still measures it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultModelDir } from '../src/pretrained.js';

test('eval --model <the 11-class pretrained model>: MNIST test accuracy, not a label-shape error', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'eval', '--model', defaultModelDir(), '--test-limit', '300', '--json'], { timeout: 120_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { testSamples: number; testAccuracy: number };
  assert.is(result.testSamples, 300);
  assert.ok(result.testAccuracy > 0.95, `accuracy ${result.testAccuracy}`);
});

test.run();
