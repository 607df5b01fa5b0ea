/** Builds IDX files for tests: big-endian header and elements. */
const SIZES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

export function encodeIdx(typeCode: number, shape: number[], values: ArrayLike<number>): Uint8Array {
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

/** A tiny MNIST-format set: n 28x28 images where image i is filled with pixel value i*10, and the given labels. */
export function tinyMnist(labels: number[]): { images: Uint8Array; labels: Uint8Array } {
  const n = labels.length;
  const pixels = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < n; i++) pixels.fill((i * 10) % 256, i * 784, (i + 1) * 784);
  return { images: encodeIdx(0x08, [n, 28, 28], pixels), labels: encodeIdx(0x08, [n], labels) };
}
