// examples/regression.ts runs as a user runs it (a child process through tsx, importing 'wasmnn'):
// reduceLROnPlateau really lowers the rate, and the model beats the best constant guess by far.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

test('examples/regression.ts: mse loss, mae/mse metrics, reduceLROnPlateau', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/regression.ts'], { timeout: 120_000 });
  const rates = /learning rate per epoch: ([\d., e-]+)\n/.exec(stdout);
  assert.ok(rates, `no learning rates in:\n${stdout}`);
  const lr = rates[1]!.split(', ').map(Number);
  assert.is(lr.length, 40, 'one rate per epoch');
  assert.is(lr[0], 0.02, 'starts at the compiled rate');
  assert.ok(lr.at(-1)! < lr[0]! / 4, `the rate was lowered more than once: ${lr.join(', ')}`);
  for (let i = 1; i < lr.length; i++) assert.ok(lr[i]! <= lr[i - 1]!, `the rate only goes down (epoch ${i})`);
  const m = /validation: mae ([\d.]+), mse ([\d.]+); baseline mae ([\d.]+)/.exec(stdout);
  assert.ok(m, `unexpected output:\n${stdout}`);
  const [mae, mse, baseline] = m.slice(1).map(Number) as [number, number, number];
  // The targets' noise has σ = 0.1 (mae ≈ 0.08): the model gets near it; the mean guess is ~0.85 off.
  assert.ok(mae < 0.2 * baseline, `validation mae ${mae} vs baseline ${baseline}`);
  assert.ok(mae < 0.15 && mse < 0.04, `validation mae ${mae}, mse ${mse}`);
});

test.run();
