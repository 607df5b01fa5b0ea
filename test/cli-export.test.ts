/**
 * `wasmnn export` end to end: the shipped model exported through the CLI (a child process) is
 * judged by the real other sides — onnxruntime-web runs the .onnx file and must predict what
 * wasmnn predicts; the safetensors file must hold the model's weights by name, bit for bit.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, readSafetensors, Tensor } from '../src/index.node.js';
import { defaultModelDir as pretrainedModelPath } from '../src/pretrained.js';
import { maxAbsDiff, runOnnx } from './helpers/onnx-runtime.js';

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmnn-export-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('export --onnx --safetensors: onnxruntime predicts as wasmnn, the safetensors hold the weights', async () => {
  const onnxPath = join(dir, 'model.onnx');
  const stPath = join(dir, 'model.safetensors');
  const run = await cli('export', '--model', pretrainedModelPath(), '--onnx', onnxPath, '--safetensors', stPath, '--json');
  assert.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.is(result['command'], 'export');
  assert.is(result['onnx'], onnxPath);

  const model = await loadModel(pretrainedModelPath());
  const batch = 3;
  const x = new Float32Array(batch * 28 * 28).map((_, i) => ((i * 7919) % 1000) / 1000);
  const ours = await model.predict(new Tensor(x, [batch, 28, 28, 1]));
  const theirs = await runOnnx(await readFile(onnxPath), x, [batch, 28, 28, 1]);
  assert.equal([...theirs.dims], ours.shape);
  assert.ok(maxAbsDiff(theirs.data, ours.data) <= 1e-5, `max |Δ| ${maxAbsDiff(theirs.data, ours.data)}`);

  const saved = readSafetensors(await readFile(stPath)).weights;
  const weights = model.getWeights();
  assert.equal(saved.map((w) => w.name), weights.map((w) => w.name));
  saved.forEach((w, i) => {
    assert.equal(w.shape, weights[i]!.shape);
    assert.ok(w.data.every((v, j) => Object.is(v, weights[i]!.data[j])), `${w.name} bit for bit`);
  });
  model.dispose();
});

test('export: nothing asked, or a model that is not there, are named errors', async () => {
  const nothing = await cli('export', '--model', pretrainedModelPath());
  assert.is(nothing.code, 1);
  assert.match(nothing.stderr, /nothing to export: give --onnx FILE and\/or --safetensors FILE/);
  const missing = await cli('export', '--model', join(dir, 'no-such-model'), '--onnx', join(dir, 'x.onnx'));
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /cannot load model/);
});

test.run();
