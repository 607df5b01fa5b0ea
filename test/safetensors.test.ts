/**
 * safetensors: round trips (weights and a model's weights through a file), a file written by the
 * reference Python package (F32, F16, F64 and metadata), BF16, every header rule broken once with
 * the error naming it, and, when Python's `safetensors` is installed, the reference reading ours.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, Sequential, tensor, type NamedWeight } from '../src/index.node.js';
import { fromSafetensors, readSafetensors, toSafetensors } from '../src/model/safetensors.js';
import { loadWeights, saveWeights } from '../src/model/safetensors-node.js';
import { mulberry32, randomArray } from './helpers/random.js';

const rng = mulberry32(7);
let tmp: string;

test.before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wasmnn-safetensors-'));
});
test.after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const sample = (): NamedWeight[] => [
  { name: 'conv2d/kernel', shape: [3, 3, 1, 2], data: randomArray(rng, 18) },
  { name: 'conv2d/bias', shape: [2], data: randomArray(rng, 2) },
  { name: 'scalar', shape: [], data: Float32Array.of(-2.5) },
  { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
];

/** A file from a header object and data bytes, the way the format lays it out. */
function file(header: unknown, data: Uint8Array | number = 0, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const bytes = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + bytes.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes, 8 + json.length);
  return out;
}

function expectError(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => fromSafetensors(bytes), (err: Error) => pattern.test(err.message) || assert.unreachable(`message was: ${err.message}`));
}

test('round trip: names, shapes and float32 values exactly, metadata, 8-byte aligned data', () => {
  const weights = sample();
  const bytes = toSafetensors(weights, { format: 'wasmnn' });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.is(headerLength % 8, 0);
  const back = readSafetensors(bytes);
  assert.equal(back.metadata, { format: 'wasmnn' });
  assert.equal(back.weights.map((w) => [w.name, w.shape, [...w.data]]), weights.map((w) => [w.name, w.shape, [...w.data]]));
});

test('saveWeights / loadWeights carry a model\'s weights through a file; a mismatched model is refused naming the file', async () => {
  const make = (seed: number) => new Sequential([layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }), layers.flatten(), layers.dense({ units: 3 })], { seed });
  const a = make(1);
  const b = make(2);
  const x = tensor(randomArray(rng, 2 * 36, 0, 1), [2, 6, 6, 1]);
  try {
    await Promise.all([a.build(), b.build()]);
    const path = join(tmp, 'model.safetensors');
    await saveWeights(a, path);
    const before = await b.predict(x);
    await loadWeights(b, path);
    assert.equal([...(await b.predict(x)).data], [...(await a.predict(x)).data]);
    assert.not.equal([...before.data], [...(await a.predict(x)).data]);

    const other = new Sequential([layers.dense({ units: 3, inputShape: [4] })]);
    await other.build();
    const err = await loadWeights(other, path).then(() => null, (e: Error) => e);
    assert.ok(err && err.message.startsWith(`loadWeights ${path}: `), `got ${err?.message}`);
    other.dispose();
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('reads a file written by the reference Python package: F32, F16, F64, metadata', async () => {
  const bytes = await readFile(new URL('./fixtures/safetensors/python-written.safetensors', import.meta.url));
  const { weights, metadata } = readSafetensors(bytes);
  assert.equal(metadata, { written_by: 'safetensors (python)' });
  const ramp = (n: number) => Array.from({ length: n }, (_, i) => (i - Math.floor(n / 2)) / 4);
  const byName = Object.fromEntries(weights.map((w) => [w.name, w]));
  for (const [name, shape] of [['conv2d/kernel', [2, 2, 1, 3]], ['conv2d/bias', [3]], ['dense/kernel', [12, 4]], ['dense/bias', [4]]] as const) {
    assert.equal(byName[name]?.shape, [...shape], name);
    assert.equal([...byName[name]!.data], ramp(shape.reduce((a: number, b: number) => a * b, 1)), name);
  }
});

test('reads BF16 (the top half of a float32)', () => {
  const data = new Uint8Array(6);
  const view = new DataView(data.buffer);
  [1.5, -0.15625, 1024].forEach((v, i) => {
    const f = new DataView(new ArrayBuffer(4));
    f.setFloat32(0, v);
    view.setUint16(i * 2, f.getUint16(0), true);
  });
  const [w] = fromSafetensors(file({ b: { dtype: 'BF16', shape: [3], data_offsets: [0, 6] } }, data));
  assert.equal([...w!.data], [1.5, -0.15625, 1024]);
});

test('every header rule, broken, is refused with an error naming it', () => {
  const t = (extra: object = {}) => ({ dtype: 'F32', shape: [2], data_offsets: [0, 8], ...extra });
  const big = new Uint8Array(12);
  new DataView(big.buffer).setBigUint64(0, 1n << 40n, true);
  const past = new Uint8Array(12);
  new DataView(past.buffer).setBigUint64(0, 10n, true);
  expectError(new Uint8Array(5), /the file is 5 bytes, too short for the 8-byte header length/);
  expectError(past, /header length 10 runs past the end of the file \(4 bytes after the length\)/);
  expectError(big, /header length 1099511627776 is over the 100000000-byte limit/);
  expectError(file(null, 0, '[1, 2]'), /does not start with "\{"/);
  expectError(file(null, 0, '{"a": '), /the header is not valid JSON/);
  expectError(file({ __metadata__: { n: 1 } }), /__metadata__.n must be a string, got 1/);
  expectError(file({ w: { shape: [2], data_offsets: [0, 8] } }, 8), /tensor w has no dtype/);
  expectError(file({ w: t({ dtype: 'F7' }) }, 8), /tensor w has unknown dtype "F7"/);
  expectError(file({ w: t({ dtype: 'I32' }) }, 8), /tensor w has dtype I32; wasmnn reads float weights only/);
  expectError(file({ w: t({ shape: [-2] }) }, 8), /tensor w has shape \[-2\]; expected an array of non-negative integers/);
  expectError(file({ w: t({ data_offsets: [8, 0] }) }, 8), /tensor w has data_offsets \[8,0\]; expected \[begin, end\]/);
  expectError(file({ w: t({ shape: [3] }) }, 8), /tensor w: shape \[3\] of F32 is 12 bytes, but data_offsets \[0, 8\] span 8/);
  expectError(file({ a: t(), b: t({ data_offsets: [4, 12] }) }, 12), /tensor b \(bytes 4..12\) overlaps tensor a \(which ends at 8\)/);
  expectError(file({ a: t(), b: t({ data_offsets: [12, 20] }) }, 20), /data bytes 8..12 belong to no tensor \(before tensor b\)/);
  expectError(file({ a: t() }, 10), /the file holds 10 data bytes but the tensors cover 8; 2 trailing bytes/);
  expectError(file({ a: t() }, 6), /tensors need 8 data bytes but the file holds 6 \(truncated\?\)/);
  const nan = new Uint8Array(8);
  new DataView(nan.buffer).setFloat32(4, NaN, true);
  expectError(file({ a: t() }, nan), /tensor a holds NaN at index 1; the weights are corrupt/);
});

test('the reference Python package reads what wasmnn writes (skipped when python3 has no safetensors)', async () => {
  const check = 'import safetensors, numpy';
  try {
    execFileSync('python3', ['-c', check], { stdio: 'ignore' });
  } catch {
    console.log('  (skipped: python3 with the safetensors and numpy packages is not available)');
    return;
  }
  const weights = sample();
  const path = join(tmp, 'for-python.safetensors');
  await writeFile(path, toSafetensors(weights, { a: 'b' }));
  const script = [
    'import json, sys',
    'from safetensors.numpy import load_file',
    'from safetensors import safe_open',
    't = load_file(sys.argv[1])',
    'meta = safe_open(sys.argv[1], "np").metadata()',
    'print(json.dumps({"meta": meta, "tensors": {k: [list(v.shape), str(v.dtype), v.ravel().tolist()] for k, v in t.items()}}))',
  ].join('\n');
  const out = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as { meta: object; tensors: Record<string, [number[], string, number[]]> };
  assert.equal(out.meta, { a: 'b' });
  for (const w of weights) assert.equal(out.tensors[w.name], [w.shape, 'float32', [...w.data]], w.name);
});

test.run();
