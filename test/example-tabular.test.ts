// examples/tabular-binary.ts runs as a user runs it (a child process through tsx, importing
// 'wasmnn') and its classifier is useful: validation AUC and recall well above chance.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

test('examples/tabular-binary.ts: binary cross-entropy, classWeight, precision/recall/AUC, confusion matrix', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/tabular-binary.ts'], { timeout: 120_000 });
  const metrics = /validation: accuracy ([\d.]+), precision ([\d.]+), recall ([\d.]+), auc ([\d.]+)/.exec(stdout);
  assert.ok(metrics, `unexpected output:\n${stdout}`);
  const [accuracy, precision, recall, auc] = metrics.slice(1).map(Number) as [number, number, number, number];
  assert.ok(auc > 0.9, `validation AUC ${auc}`);
  assert.ok(recall > 0.8, `validation recall ${recall}`);
  assert.ok(accuracy > 0.8 && precision > 0.4, `accuracy ${accuracy}, precision ${precision}`);
  const matrix = /confusion matrix \(rows true 0\/1, columns predicted 0\/1\): \[\[(\d+), (\d+)\], \[(\d+), (\d+)\]\]/.exec(stdout);
  assert.ok(matrix, `no confusion matrix in:\n${stdout}`);
  assert.is(matrix.slice(1).map(Number).reduce((a, b) => a + b, 0), 200, 'the matrix counts the 200 held-out samples');
});

test.run();
