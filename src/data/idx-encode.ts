/** Writer for the IDX format (see idx.ts): big-endian header and elements. Browser-safe. */
const SIZES: Readonly<Record<number, number>> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/** One IDX file of `values` with element type `typeCode` (0x08 uint8 … 0x0e float64) and dimensions `shape`. */
export function encodeIdx(typeCode: number, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const size = SIZES[typeCode];
  if (size === undefined) throw new Error(`encodeIdx: unknown type code ${typeCode}`);
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = typeCode;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * size;
    const v = values[i]!;
    if (typeCode === 0x08) view.setUint8(at, v);
    else if (typeCode === 0x09) view.setInt8(at, v);
    else if (typeCode === 0x0b) view.setInt16(at, v, false);
    else if (typeCode === 0x0c) view.setInt32(at, v, false);
    else if (typeCode === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
