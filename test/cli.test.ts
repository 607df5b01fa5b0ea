/**
 * End-to-end tests of the `wasmnn` CLI and the examples, run as child processes
 * through tsx. Training is kept tiny so the file stays well under a minute on the
 * plain-JS backend: the slow runs start together in `before` and the tests await them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relaxedSimdRequested } from '../src/cli/relaxed-simd.js';
import { tinyMnist } from './helpers/idx.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIMEOUT_MS = 240_000;

function runTs(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      env: { ...process.env, ...env, WASMNN_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = (...args: string[]) => runTs('src/cli.ts', args);

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

function failsClearly(run: Run, pattern: RegExp): void {
  assert.is(run.code, 1, `exit code (stderr: ${run.stderr})`);
  const lines = run.stderr.trim().split('\n');
  assert.is(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0]!, /^wasmnn: /);
  assert.match(lines[0]!, pattern);
  assert.not.match(run.stderr, /\n\s+at /, 'no stack trace');
}

let dir = '';
let modelDir = '';
let trainRun: Promise<Run>;
let examplesRun: Promise<{ train: Run; predict: Run }>;

// Few images, a larger learning rate and small batches: enough for > 80% in one quick epoch.
// 1250 images with the last 250 held out for validation leaves 1000 to train on.
const TRAIN_ARGS = ['--arch', 'lenet', '--epochs', '1', '--train-limit', '1250', '--validation-split', '0.2', '--batch-size', '32', '--lr', '0.003', '--label-smoothing', '0.05', '--test-limit', '300'];

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmnn-cli-'));
  modelDir = join(dir, 'model');
  trainRun = cli('train', ...TRAIN_ARGS, '--json', '--out', modelDir);
  const exampleDir = join(dir, 'example-model');
  examplesRun = runTs('examples/train-mnist.ts', [exampleDir], {
    EXAMPLE_TRAIN_LIMIT: '300',
    EXAMPLE_TEST_LIMIT: '100',
    EXAMPLE_EPOCHS: '1',
  }).then(async (train) => ({ train, predict: await runTs('examples/predict.ts', [exampleDir, '10']) }));
});

test.after(async () => {
  await Promise.allSettled([trainRun, examplesRun]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('bad option values fail with one clear line', async () => {
  const [epochs, backend, arch, decay, noCommand, split, smoothing] = await Promise.all([
    cli('train', '--epochs', '0'),
    cli('eval', '--model', 'x', '--backend', 'gpu'),
    cli('train', '--arch', 'resnet'),
    cli('train', '--schedule', 'linear', '--lr-decay', '0.5'),
    cli(),
    cli('train', '--validation-split', '1'),
    cli('train', '--label-smoothing', '1'),
  ]);
  failsClearly(smoothing, /--label-smoothing must be a number in \[0, 1\), got '1'/);
  failsClearly(split, /--validation-split must be a number in \(0, 1\), got '1'/);
  failsClearly(epochs, /--epochs must be a positive integer/);
  failsClearly(backend, /--backend must be one of wasm, js/);
  failsClearly(arch, /arch.*compact.*lenet.*seed/);
  failsClearly(decay, /--lr-decay applies to the epoch-decay schedule; this run uses 'linear'/);
  failsClearly(noCommand, /no command given/);
});

test('eval of a missing or corrupt model exits 1 with a clear message', async () => {
  const corrupt = join(dir, 'corrupt');
  await mkdir(corrupt, { recursive: true });
  await writeFile(join(corrupt, 'model.json'), '{"modelTopology": {');
  const [missing, broken] = await Promise.all([cli('eval', '--model', join(dir, 'nope')), cli('eval', '--model', corrupt)]);
  failsClearly(missing, /cannot load model: no model found at .*nope/);
  failsClearly(broken, /cannot load model: .*model\.json is not valid JSON/);
});

let trained: Record<string, unknown> = {};

test('train --json: last stdout line is the JSON result, the model is saved', async () => {
  const run = await trainRun;
  assert.is(run.code, 0, run.stderr);
  trained = lastJson(run.stdout);
  for (const key of ['testAccuracy', 'testLoss', 'epochs', 'trainSeconds', 'samplesPerSecond']) {
    assert.type(trained[key], 'number', `${key} in ${JSON.stringify(trained)}`);
  }
  assert.is(trained['epochs'], 1);
  assert.is(trained['trainSamples'], 1000);
  assert.is(trained['validationSamples'], 250);
  assert.is(trained['labelSmoothing'], 0.05);
  assert.ok((trained['validationAccuracy'] as number) > 0.7, `validationAccuracy ${trained['validationAccuracy']}`);
  assert.match(run.stderr, /Training lenet on 1000 images \(250 held out for validation\)/);
  assert.ok((trained['testAccuracy'] as number) > 0.8, `testAccuracy ${trained['testAccuracy']}`);
  assert.ok(existsSync(join(modelDir, 'model.json')), 'model.json saved');
  // The smoothed loss is saved with the model (a setting TF.js cannot compile goes in wasmnn's metadata).
  assert.match(await readFile(join(modelDir, 'model.json'), 'utf8'), /"label_smoothing": ?0\.05/);
  // Human output went to stderr: the summary, progress and where the model was saved.
  assert.match(run.stderr, /Total params: 80,202/);
  assert.match(run.stderr, /Epoch 1\/1/);
  assert.match(run.stderr, /Saved model to /);
  // The CLI opts in to relaxed SIMD for itself (Node 20 validates the relaxed build once the flag is set).
  if (process.env['WASMNN_BACKEND'] !== 'js') assert.match(String(trained['runsOn']), /^wasm \(relaxed SIMD, [12] threads?\)$/);
});

test('relaxed SIMD: on by default, off with --no-relaxed-simd or WASMNN_RELAXED_SIMD=0', () => {
  const saved = process.env['WASMNN_RELAXED_SIMD'];
  try {
    delete process.env['WASMNN_RELAXED_SIMD'];
    assert.is(relaxedSimdRequested(undefined), true);
    assert.is(relaxedSimdRequested(false), false);
    process.env['WASMNN_RELAXED_SIMD'] = '0';
    assert.is(relaxedSimdRequested(undefined), false);
    assert.is(relaxedSimdRequested(true), true);
  } finally {
    if (saved === undefined) delete process.env['WASMNN_RELAXED_SIMD'];
    else process.env['WASMNN_RELAXED_SIMD'] = saved;
  }
});

test('eval on the saved model gives the same accuracy', async () => {
  const run = await cli('eval', '--model', modelDir, '--test-limit', '300', '--json');
  assert.is(run.code, 0, run.stderr);
  const result = lastJson(run.stdout);
  assert.is(result['testAccuracy'], trained['testAccuracy']);
  assert.ok(Math.abs((result['testLoss'] as number) - (trained['testLoss'] as number)) < 1e-5);
  assert.is(result['testSamples'], 300);
});

test('eval --data needs only the test files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-testonly-'));
  try {
    const t10k = tinyMnist([7, 2, 1]);
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), t10k.images);
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), t10k.labels);
    const run = await cli('eval', '--model', modelDir, '--data', dir, '--json');
    assert.is(run.code, 0, run.stderr);
    assert.is(lastJson(run.stdout)['testSamples'], 3);
    const missing = await cli('eval', '--model', modelDir, '--data', join(dir, 'nope'));
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /wasmnn: --data: cannot read MNIST directory/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('examples: train-mnist.ts then predict.ts on a tiny subset', async () => {
  const { train, predict } = await examplesRun;
  assert.is(train.code, 0, train.stderr);
  assert.match(train.stdout, /Test accuracy: \d+\.\d+%/);
  assert.match(train.stdout, /Saved model to /);
  assert.is(predict.code, 0, predict.stderr);
  assert.is(predict.stdout.match(/predicted \d {2}true \d/g)?.length, 10);
  assert.match(predict.stdout, /Accuracy: \d+\/10 = /);
});

test.run();
