/**
 * Weights that tfjs-converter quantized (`--quantize_uint8`, `--quantize_uint16`,
 * `--quantize_float16`): the manifest entry says so in `quantization` ({ dtype, min, scale } for
 * the integer kinds, { dtype: 'float16' } for half floats). wasmnn reads them back into float32
 * as TF.js does: value = q · scale + min, or the half float widened.
 */
import type { WeightSpec } from './weights-format.js';

type Quantization = NonNullable<WeightSpec['quantization']>;

const BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes per stored value of a quantized weight; a named error for kinds TF.js does not write. */
export function quantizedBytesPerValue(spec: WeightSpec): number {
  const q = spec.quantization as Quantization;
  const bytes = BYTES[q.dtype];
  if (bytes === undefined) throw new Error(`weight ${spec.name}: unknown quantization dtype '${q.dtype}' (TF.js writes uint8, uint16 or float16)`);
  if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: quantized ${spec.dtype} weights are not supported; wasmnn reads quantized float32 weights`);
  if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) {
    throw new Error(`weight ${spec.name}: ${q.dtype} quantization needs finite 'scale' and 'min', got scale ${q.scale} and min ${q.min}`);
  }
  return bytes;
}

/** The float32 values of `count` quantized values at `offset`. */
export function dequantize(spec: WeightSpec, bytes: Uint8Array, offset: number, count: number): Float32Array {
  const q = spec.quantization as Quantization;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * quantizedBytesPerValue(spec));
  const out = new Float32Array(count);
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const scale = q.scale!, min = q.min!;
    const read = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(i * 2, true);
    for (let i = 0; i < count; i++) out[i] = read(i) * scale + min;
  }
  return out;
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
