/**
 * The safetensors weights format (huggingface/safetensors): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}`,
 * then the tensors' bytes, little-endian, offsets relative to the end of the header. Weights keep
 * their model.json names ('conv2d/kernel'). wasmnn writes F32; it reads F32, F16, BF16 and F64
 * into float32. Every rule of the header is checked and a broken file is refused with an error
 * naming the tensor and the rule. Browser-safe.
 */
import type { NamedWeight } from './weights-format.js';

export interface Safetensors {
  weights: NamedWeight[];
  metadata: Record<string, string>;
}

/** The reference implementation refuses headers over 100 MB; a larger one is not a weights file. */
const MAX_HEADER_BYTES = 100_000_000;
const HEADER_ALIGNMENT = 8;
const METADATA_KEY = '__metadata__';

const readable = { F32: 4, F16: 2, BF16: 2, F64: 8 } as const;
type ReadableDtype = keyof typeof readable;
const otherDtypes = ['BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'U64', 'I64', 'F8_E4M3', 'F8_E5M2', 'C64'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Encodes weights (or a model's, through getWeights) as a safetensors file of F32 tensors. */
export function toSafetensors(source: readonly NamedWeight[] | { getWeights(): NamedWeight[] }, metadata: Record<string, string> = {}): Uint8Array {
  const weights = 'getWeights' in source ? source.getWeights() : source;
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new Error(`toSafetensors: metadata ${k} must be a string, got ${typeof v}`);
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const w of weights) {
    if (w.name === '' || w.name === METADATA_KEY) throw new Error(`toSafetensors: a tensor cannot be named '${w.name}'`);
    if (Object.hasOwn(header, w.name)) throw new Error(`toSafetensors: duplicate weight name ${w.name}`);
    const count = w.shape.reduce((a, b) => a * b, 1);
    if (!w.shape.every(isCount) || count !== w.data.length) {
      throw new Error(`toSafetensors: weight ${w.name} has shape [${w.shape.join(', ')}] but holds ${w.data.length} values`);
    }
    header[w.name] = { dtype: 'F32', shape: [...w.shape], data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  const text = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces (which the format allows) so the data starts 8-byte aligned, as the reference writer does.
  const json = new Uint8Array(Math.ceil(text.length / HEADER_ALIGNMENT) * HEADER_ALIGNMENT).fill(0x20);
  json.set(text);

  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const w of weights) {
    for (let i = 0; i < w.data.length; i++, at += 4) view.setFloat32(at, w.data[i]!, true);
  }
  return out;
}

/** The weights of a safetensors file as float32, in file order; throws naming the first problem. */
export function fromSafetensors(bytes: Uint8Array): NamedWeight[] {
  return readSafetensors(bytes).weights;
}

/** The weights and the `__metadata__` strings of a safetensors file, validated. */
export function readSafetensors(bytes: Uint8Array): Safetensors {
  const fail = (message: string): never => {
    throw new Error(`safetensors: ${message}`);
  };
  if (bytes.byteLength < 8) fail(`the file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} is over the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file`);
  if (headerLength > BigInt(bytes.byteLength - 8)) fail(`header length ${headerLength} runs past the end of the file (${bytes.byteLength - 8} bytes after the length)`);
  const headerEnd = 8 + Number(headerLength);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(8, headerEnd));
  if (!text.startsWith('{')) fail('the header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    fail(`the header is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(header)) fail('the header must be a JSON object');
  const entries = header as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const rawMetadata = entries[METADATA_KEY];
  if (rawMetadata !== undefined) {
    if (!isObject(rawMetadata)) fail(`${METADATA_KEY} must be an object of strings`);
    for (const [k, v] of Object.entries(rawMetadata as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`${METADATA_KEY}.${k} must be a string, got ${JSON.stringify(v)}`);
      metadata[k] = v as string;
    }
  }

  const dataLength = bytes.byteLength - headerEnd;
  const tensors = Object.entries(entries)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => checkTensorInfo(name, info, fail));
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const t of tensors) {
    if (t.begin < covered) fail(`tensor ${t.name} (bytes ${t.begin}..${t.end}) overlaps tensor ${previous} (which ends at ${covered})`);
    if (t.begin > covered) fail(`data bytes ${covered}..${t.begin} belong to no tensor (before tensor ${t.name})`);
    covered = t.end;
    previous = t.name;
  }
  if (covered !== dataLength) {
    fail(covered > dataLength ? `tensors need ${covered} data bytes but the file holds ${dataLength} (truncated?)` : `the file holds ${dataLength} data bytes but the tensors cover ${covered}; ${dataLength - covered} trailing bytes belong to no tensor`);
  }

  const weights = tensors.map((t) => {
    const data = decodeFloats(view, headerEnd + t.begin, t.count, t.dtype);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`tensor ${t.name} holds ${data[bad]} at index ${bad}; the weights are corrupt`);
    return { name: t.name, shape: t.shape, data };
  });
  return { weights, metadata };
}

interface TensorInfo {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

function checkTensorInfo(name: string, info: unknown, fail: (message: string) => never): TensorInfo {
  if (name === '') fail('a tensor has an empty name');
  if (!isObject(info)) fail(`tensor ${name} must be an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(`tensor ${name} has no dtype`);
  if (!Object.hasOwn(readable, dtype as string)) {
    if (otherDtypes.includes(dtype as string)) fail(`tensor ${name} has dtype ${dtype}; wasmnn reads float weights only (${Object.keys(readable).join(', ')})`);
    fail(`tensor ${name} has unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor ${name} has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
  }
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const [begin, end] = offsets as [number, number];
  const size = readable[dtype as ReadableDtype];
  if (count * size !== end - begin) {
    fail(`tensor ${name}: shape [${(shape as number[]).join(', ')}] of ${dtype} is ${count * size} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as ReadableDtype, shape: [...(shape as number[])], count, begin, end };
}

function decodeFloats(view: DataView, at: number, count: number, dtype: ReadableDtype): Float32Array {
  const out = new Float32Array(count);
  const size = readable[dtype];
  for (let i = 0; i < count; i++) {
    const p = at + i * size;
    if (dtype === 'F32') out[i] = view.getFloat32(p, true);
    else if (dtype === 'F64') out[i] = view.getFloat64(p, true);
    else if (dtype === 'BF16') out[i] = bfloat16ToFloat(view.getUint16(p, true));
    else out[i] = float16ToFloat(view.getUint16(p, true));
  }
  return out;
}

/** bfloat16 is the top half of a float32. */
function bfloat16ToFloat(bits: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, bits << 16);
  return buf.getFloat32(0);
}

/** IEEE 754 half precision: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
function float16ToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
