/**
 * A minimal protocol-buffers writer: the wire format's varints, length-delimited fields and packed
 * repeated int64s, which is all that ONNX's ModelProto needs. Written here rather than taken from
 * protobufjs because the core has no runtime dependencies and an exporter writes only a handful of
 * message types; it never reads protobuf.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

const utf8 = new TextEncoder();

/** Builds one message. Fields are appended in call order; nested messages are finished writers. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** An int32/int64/enum/bool field. Negative values take ten bytes (two's complement, as protobuf). */
  varint(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.byteLength);
    this.push(value);
    return this;
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** A packed repeated int64 field (proto2 unpacked readers accept packed encoding too). */
  packedVarints(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`protobuf: ${value} is not an integer that can be encoded exactly`);
    if (value < 0) {
      // Protobuf writes negative int64s as their 64-bit two's complement.
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.pendingByte(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      this.pendingByte(Number(big));
      return;
    }
    let v = value;
    while (v >= 0x80) {
      this.pendingByte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.pendingByte(v);
  }

  private pendingByte(b: number): void {
    this.pending.push(b);
    this.size++;
  }

  private push(bytes: Uint8Array): void {
    this.flush();
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
}
