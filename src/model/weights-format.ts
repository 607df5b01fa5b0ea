/**
 * The TF.js LayersModel file format, minus the file system: model.json
 * (topology + weights manifest) and the binary weight shards. Weights are
 * float32, little-endian, concatenated in manifest order; a manifest group's
 * weights span the concatenation of that group's shard files. Browser-safe.
 */

import { dequantize, quantizedBytesPerValue } from './quantized-weights.js';
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  /** 'optimizer' marks optimizer state (TF.js `save(..., {includeOptimizer: true})`). */
  group?: string;
  /** tfjs-converter's quantized storage (see quantized-weights.ts). */
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: WeightsManifestGroup[];
  trainingConfig?: object;
  [key: string]: unknown;
}

export interface ModelArtifacts {
  modelJson: ModelJson;
  /** One buffer per path listed in the manifest, in manifest order (or one buffer when there is one path). */
  weightData: Uint8Array | Uint8Array[];
}

export const GENERATED_BY = 'wasmnn 0.1.0';
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

const BYTES_PER_FLOAT = 4;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Builds model.json and a single weight shard from a topology and named float32 weights. */
export function encodeArtifacts(
  modelTopology: object,
  weights: NamedWeight[],
  extra: {
    trainingConfig?: object;
    generatedBy?: string;
    /** Optimizer state, saved after the weights in the group TF.js uses for it ('optimizer'). */
    optimizerWeights?: NamedWeight[];
    userDefinedMetadata?: object;
  } = {},
): { modelJson: ModelJson; weightData: Uint8Array } {
  const optimizerWeights = extra.optimizerWeights ?? [];
  const all = [...weights, ...optimizerWeights];
  const seen = new Set<string>();
  let total = 0;
  for (const w of all) {
    if (seen.has(w.name)) throw new Error(`encodeArtifacts: duplicate weight name ${w.name}`);
    seen.add(w.name);
    const size = checkShape(w.shape, w.name);
    if (w.data.length !== size) {
      throw new Error(`encodeArtifacts: weight ${w.name} has shape [${w.shape.join(', ')}] (${size} values) but holds ${w.data.length}`);
    }
    checkFinite(w.data, w.name);
    total += size;
  }

  const weightData = new Uint8Array(total * BYTES_PER_FLOAT);
  const view = new DataView(weightData.buffer);
  let offset = 0;
  for (const w of all) {
    if (LITTLE_ENDIAN_HOST) {
      weightData.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), offset);
    } else {
      for (let i = 0; i < w.data.length; i++) view.setFloat32(offset + i * BYTES_PER_FLOAT, w.data[i]!, true);
    }
    offset += w.data.byteLength;
  }

  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: extra.generatedBy ?? GENERATED_BY,
    convertedBy: null,
    modelTopology,
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: [
          ...weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
          ...optimizerWeights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32', group: 'optimizer' })),
        ],
      },
    ],
  };
  if (extra.trainingConfig !== undefined) modelJson.trainingConfig = extra.trainingConfig;
  if (extra.userDefinedMetadata !== undefined) modelJson['userDefinedMetadata'] = extra.userDefinedMetadata;
  return { modelJson, weightData };
}

/**
 * Checks that a parsed model.json has the structure of a LayersModel file and
 * returns it typed. Throws an error naming the first problem found.
 */
export function checkModelJson(value: unknown): ModelJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`model.json must hold a JSON object, got ${Array.isArray(value) ? 'an array' : String(value === null ? null : typeof value)}`);
  }
  const json = value as Record<string, unknown>;
  const missing = ['modelTopology', 'weightsManifest'].filter((key) => json[key] === undefined || json[key] === null);
  if (missing.length) throw new Error(`model.json has no ${missing.join(' and no ')}`);
  if (typeof json.modelTopology !== 'object' || Array.isArray(json.modelTopology)) {
    throw new Error('model.json: modelTopology must be a JSON object');
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new Error('model.json: weightsManifest must be an array of {paths, weights} groups');
  manifest.forEach((group: unknown, g) => {
    const where = `model.json: weightsManifest[${g}]`;
    if (typeof group !== 'object' || group === null) throw new Error(`${where} must be an object with paths and weights`);
    const { paths, weights } = group as Record<string, unknown>;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
      throw new Error(`${where}.paths must be an array of file names`);
    }
    if (!Array.isArray(weights)) throw new Error(`${where}.weights must be an array`);
    weights.forEach((spec: unknown, i) => {
      if (typeof spec !== 'object' || spec === null) throw new Error(`${where}.weights[${i}] must be an object`);
      const { name, shape, dtype } = spec as Record<string, unknown>;
      if (typeof name !== 'string' || name === '') throw new Error(`${where}.weights[${i}] has no name`);
      if (!Array.isArray(shape)) throw new Error(`model.json: weight ${name} has no shape`);
      checkShape(shape, name);
      if (typeof dtype !== 'string') throw new Error(`model.json: weight ${name} has no dtype`);
    });
  });
  return json as ModelJson;
}

/**
 * Decodes the weights of a model.json from its shards (one Uint8Array per
 * manifest path, in manifest order). Returns the model weights in manifest
 * order, each in a fresh Float32Array; optimizer state (group 'optimizer') is
 * skipped. Throws on unsupported dtypes, quantized weights, wrong byte counts,
 * and NaN/Infinity values.
 */
export function decodeWeights(modelJson: unknown, shards: Uint8Array[]): NamedWeight[] {
  return decodeGroup(modelJson, shards, false);
}

/**
 * The optimizer state a model was saved with (`save(…, { includeOptimizer: true })`, or TF.js's),
 * weights of the manifest's 'optimizer' group; empty when there is none. int32 entries (TF.js's
 * iteration count) are read as numbers too.
 */
export function decodeOptimizerWeights(modelJson: unknown, shards: Uint8Array[]): NamedWeight[] {
  return decodeGroup(modelJson, shards, true);
}

function decodeGroup(modelJson: unknown, shards: Uint8Array[], optimizer: boolean): NamedWeight[] {
  const { weightsManifest } = checkModelJson(modelJson);
  const pathCount = weightsManifest.reduce((n, g) => n + g.paths.length, 0);
  if (shards.length !== pathCount) {
    throw new Error(`model.json lists ${pathCount} weight file(s) but ${shards.length} were given`);
  }

  const out: NamedWeight[] = [];
  const seen = new Set<string>();
  let shardIndex = 0;
  for (const group of weightsManifest) {
    const groupShards = shards.slice(shardIndex, shardIndex + group.paths.length);
    shardIndex += group.paths.length;
    const files = group.paths.join(', ');

    const need = group.weights.reduce((n, spec) => n + byteSize(spec), 0);
    const have = groupShards.reduce((n, s) => n + s.byteLength, 0);
    if (have < need) throw new Error(`weights file truncated: need ${need} bytes, have ${have} (${files})`);
    if (have > need) throw new Error(`weights file too long: need ${need} bytes, have ${have} (${files}); it does not match model.json`);
    const bytes = concat(groupShards, have);

    let offset = 0;
    for (const spec of group.weights) {
      const size = byteSize(spec);
      if ((spec.group === 'optimizer') === optimizer) {
        if (seen.has(spec.name)) throw new Error(`model.json: duplicate weight name ${spec.name}`);
        seen.add(spec.name);
        const count = checkShape(spec.shape, spec.name);
        const data = spec.quantization
          ? dequantize(spec, bytes, offset, count)
          : spec.dtype === 'int32'
            ? readInt32LE(bytes, offset, count)
            : readFloat32LE(bytes, offset, count);
        checkFinite(data, spec.name);
        out.push({ name: spec.name, shape: [...spec.shape], data });
      }
      offset += size;
    }
  }
  return out;
}

/** Bytes a weight occupies in its shard; throws for anything wasmnn cannot read. */
function byteSize(spec: WeightSpec): number {
  const count = checkShape(spec.shape, spec.name);
  if (spec.quantization) return count * quantizedBytesPerValue(spec);
  // int32: TF.js's optimizer iteration count, and Normalization's sample count as Keras and the
  // TF.js converter write it; both are read as float32 numbers (exact up to 2^24).
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return count * 4;
  throw new Error(`unsupported dtype ${spec.dtype} for weight ${spec.name}; wasmnn reads float32 and int32 weights only`);
}

function checkShape(shape: readonly unknown[], name: string): number {
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(`weight ${name}: invalid shape [${shape.join(', ')}]`);
    }
    size *= d;
  }
  return size;
}

function checkFinite(data: Float32Array, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new Error(`weight ${name} holds ${data[i]} at index ${i}; the weights are corrupt`);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** Little-endian int32s as float32 values (counts: the optimizer's iterations, Normalization's samples). */
function readInt32LE(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  return Float32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
}

/** Copies little-endian float32s into a fresh, aligned Float32Array whatever the source alignment. */
function readFloat32LE(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * BYTES_PER_FLOAT));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * BYTES_PER_FLOAT);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * BYTES_PER_FLOAT, true);
  }
  return out;
}
