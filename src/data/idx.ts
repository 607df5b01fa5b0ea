/**
 * Reader for the IDX format (the format MNIST ships in): a 4-byte magic
 * (0x00 0x00, element type code, number of dimensions), one big-endian uint32
 * per dimension, then the elements in big-endian order. Browser-safe.
 */

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxData;
}

const TYPE_CODES: Readonly<Record<number, { dtype: IdxDtype; bytes: number }>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** True when the bytes start with the gzip magic (1f 8b). IDX data always starts with 00 00. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The byte length of the IDX file whose first bytes are `head` (header plus elements, from the
 * header's type and dimensions), or null when `head` is too short to hold the whole header.
 * Throws, naming `what`, when the header itself is invalid.
 */
export function idxByteLength(head: Uint8Array, what = 'IDX data'): number | null {
  if (head.length < 4) return null;
  if (head[0] !== 0 || head[1] !== 0) throw new Error(`${what}: not an IDX file: its magic does not start with 0x00 0x00`);
  const type = TYPE_CODES[head[2]!];
  if (!type) throw new Error(`${what}: unknown IDX element type 0x${head[2]!.toString(16).padStart(2, '0')}`);
  const ndims = head[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (head.length < headerBytes) return null;
  let elements = 1;
  for (let d = 0; d < ndims; d++) elements *= new DataView(head.buffer, head.byteOffset + 4 + 4 * d, 4).getUint32(0, false);
  return headerBytes + elements * type.bytes;
}

/**
 * Parses one IDX file. `what` names the file in error messages.
 * One-byte types are returned as views into `bytes` (no copy); wider types are
 * decoded from big-endian into fresh arrays.
 */
export function parseIdx(bytes: Uint8Array, what = 'IDX data'): IdxArray {
  if (isGzip(bytes)) throw new Error(`${what}: is gzip-compressed; decompress it before parsing`);
  if (bytes.length < 4) throw new Error(`${what}: too short for an IDX header (${bytes.length} bytes, need at least 4)`);
  const hex = (n: number) => '0x' + n.toString(16).padStart(2, '0');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${what}: not an IDX file: magic starts with ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 0x00 0x00`);
  }
  const type = TYPE_CODES[bytes[2]!];
  if (!type) throw new Error(`${what}: unknown IDX element type code ${hex(bytes[2]!)} (known: 0x08 0x09 0x0b 0x0c 0x0d 0x0e)`);
  const ndims = bytes[3]!;
  if (ndims === 0) throw new Error(`${what}: IDX header declares 0 dimensions`);

  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`${what}: truncated header: ${ndims} dimensions need ${headerBytes} header bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }

  const expected = headerBytes + count * type.bytes;
  const describe = `shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} bytes`;
  if (bytes.length < expected) throw new Error(`${what}: truncated: ${describe}, file has ${bytes.length}`);
  if (bytes.length > expected) {
    throw new Error(`${what}: ${bytes.length - expected} unexpected trailing bytes: ${describe}, file has ${bytes.length}`);
  }

  return { dtype: type.dtype, shape, data: decodeBigEndian(view, headerBytes, count, type.dtype) };
}

function decodeBigEndian(view: DataView, offset: number, count: number, dtype: IdxDtype): IdxData {
  const at = view.byteOffset + offset;
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer, at, count);
    case 'int8':
      return new Int8Array(view.buffer, at, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}
