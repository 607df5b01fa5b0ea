/**
 * Quantized weight manifests, as tfjs-converter writes them (uint8 and uint16 with min/scale,
 * float16): the same quantized bytes are read by the real TF.js 4.22 and by wasmnn, and both
 * models must predict the same. Malformed quantization entries are named errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { loadModel, Tensor } from '../src/index.node.js';
import { mulberry32 } from './helpers/random.js';

type Kind = 'uint8' | 'uint16' | 'float16';

/** float32 → IEEE binary16 bits, round to nearest (enough for test data in a normal range). */
function toHalf(v: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v);
  const bits = view.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // values this small do not occur in the test weights
  if (exponent >= 31) return sign | 0x7c00;
  return (sign | (exponent << 10) | (mantissa >> 13)) + ((mantissa >> 12) & 1);
}

/** A model's float32 artifacts with every weight stored as `kind`, as tfjs-converter would. */
function quantize(artifacts: tf.io.ModelArtifacts, kind: Kind): { modelJson: object; weightData: Uint8Array; specs: tf.io.WeightsManifestEntry[] } {
  const floats = new Float32Array(artifacts.weightData as ArrayBuffer);
  const parts: Uint8Array[] = [];
  let at = 0;
  const specs = artifacts.weightSpecs!.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(at, at + n);
    at += n;
    if (kind === 'float16') {
      const out = new Uint16Array(values.length).map((_, i) => toHalf(values[i]!));
      parts.push(new Uint8Array(out.buffer));
      return { ...spec, quantization: { dtype: kind, original_dtype: 'float32' } };
    }
    const levels = kind === 'uint8' ? 255 : 65535;
    let min = Math.min(...values), max = Math.max(...values);
    if (max === min) max = min + 1;
    const scale = (max - min) / levels;
    const q = (kind === 'uint8' ? new Uint8Array(n) : new Uint16Array(n)).map((_, i) => Math.round((values[i]! - min) / scale));
    parts.push(new Uint8Array(q.buffer));
    return { ...spec, quantization: { dtype: kind, min, scale, original_dtype: 'float32' } };
  });
  const weightData = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.byteLength;
  }
  const modelJson = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  return { modelJson, weightData, specs: specs as tf.io.WeightsManifestEntry[] };
}

async function tfjsArtifacts(): Promise<tf.io.ModelArtifacts> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, activation: 'softmax' }),
    ],
  });
  const rng = mulberry32(7);
  model.setWeights(model.weights.map((w) => tf.tensor(Array.from({ length: w.shape.reduce((a, b) => a! * b!, 1)! }, () => rng() * 2 - 1), w.shape as number[])));
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  return saved!;
}

for (const kind of ['uint8', 'uint16', 'float16'] as const) {
  test(`${kind}-quantized weights: wasmnn predicts what TF.js 4.22 predicts from the same bytes`, async () => {
    const q = quantize(await tfjsArtifacts(), kind);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: (q.modelJson as { modelTopology: object }).modelTopology, weightSpecs: q.specs, weightData: q.weightData.slice().buffer }));
    const ours = await loadModel({ modelJson: q.modelJson, weightData: q.weightData });
    const rng = mulberry32(11);
    const x = Float32Array.from({ length: 3 * 6 * 6 * 2 }, () => rng());
    const expected = (theirs.predict(tf.tensor(x, [3, 6, 6, 2])) as tf.Tensor).dataSync();
    const got = (await ours.predict(new Tensor(x, [3, 6, 6, 2]))).data;
    const diff = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)));
    assert.ok(diff <= 1e-5, `max |Δ| ${diff}`);
    theirs.dispose();
    ours.dispose();
  });
}

test('malformed quantization entries are named errors', async () => {
  const q = quantize(await tfjsArtifacts(), 'uint8');
  const withSpec = (change: (spec: Record<string, unknown>) => void) => {
    const json = structuredClone(q.modelJson) as { weightsManifest: { weights: Record<string, unknown>[] }[] };
    change(json.weightsManifest[0]!.weights[0]!);
    return loadModel({ modelJson: json, weightData: q.weightData }).then(() => 'no error', (err: Error) => err.message);
  };
  assert.match(await withSpec((s) => ((s['quantization'] as Record<string, unknown>)['dtype'] = 'int4')), /weight conv2d_\w+\/kernel: unknown quantization dtype 'int4' \(TF\.js writes uint8, uint16 or float16\)/);
  assert.match(await withSpec((s) => delete (s['quantization'] as Record<string, unknown>)['scale']), /uint8 quantization needs finite 'scale' and 'min', got scale undefined/);
});

test.run();
