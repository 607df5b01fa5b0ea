/**
 * The few ONNX messages an exporter writes (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto), as plain objects and their protobuf encoding. Field numbers are
 * those of onnx/onnx.proto.
 */
import { ProtoWriter } from './protobuf.js';

/** IR version 7 is the one that goes with opset 13 (onnx/docs/Versioning.md). */
export const IR_VERSION = 7;
export const OPSET = 13;

export const DataType = { FLOAT: 1, INT64: 7 } as const;
type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type AttributeValue = number | number[] | string | { float: number };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** float32 values, or int64 values (shapes, axes) as numbers. */
  data: Float32Array | { int64: number[] };
}

/** A graph input or output: float32, dimensions as numbers or symbolic names ('batch'). */
export interface OnnxValueInfo {
  name: string;
  dims: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModelInfo {
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

export function encodeModel(graph: OnnxGraph, info: OnnxModelInfo): Uint8Array {
  const model = new ProtoWriter()
    .varint(1, IR_VERSION)
    .string(2, info.producerName)
    .string(3, info.producerVersion);
  if (info.docString) model.string(6, info.docString);
  model.message(7, encodeGraph(graph));
  model.message(8, new ProtoWriter().string(1, '').varint(2, OPSET));
  for (const [key, value] of Object.entries(info.metadata ?? {})) {
    model.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return model.finish();
}

function encodeGraph(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, encodeNode(node));
  w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, encodeTensor(t));
  for (const v of graph.inputs) w.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

function encodeNode(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(name, value));
  return w;
}

function encodeAttribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute ${name}: ${value} is not an integer; pass { float: ${value} } for a float attribute`);
    return w.varint(20, AttrType.INT).varint(3, value);
  }
  if (typeof value === 'string') return w.varint(20, AttrType.STRING).string(4, value);
  if (Array.isArray(value)) return w.varint(20, AttrType.INTS).packedVarints(8, value);
  return w.varint(20, AttrType.FLOAT).float(2, value.float);
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter().packedVarints(1, t.dims);
  const count = t.dims.reduce((a, b) => a * b, 1);
  let type: DataTypeCode;
  let raw: Uint8Array;
  if (t.data instanceof Float32Array) {
    type = DataType.FLOAT;
    raw = new Uint8Array(count * 4);
    const view = new DataView(raw.buffer);
    t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  } else {
    type = DataType.INT64;
    raw = new Uint8Array(count * 8);
    const view = new DataView(raw.buffer);
    t.data.int64.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  }
  const length = t.data instanceof Float32Array ? t.data.length : t.data.int64.length;
  if (length !== count) throw new Error(`ONNX tensor ${t.name}: dims [${t.dims.join(', ')}] need ${count} values, got ${length}`);
  // raw_data must be little-endian whatever the host (onnx.proto, TensorProto.raw_data).
  return w.varint(2, type).string(8, t.name).bytes(9, raw);
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, DataType.FLOAT).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}
