/**
 * Collects the nodes and initializers of the exported graph, and knows the one layout decision:
 * wasmnn (like Keras) is NHWC, ONNX's Conv/Pool/BatchNormalization are NCHW. Spatial layers ask
 * for their input in NCHW (`nchw`), layers whose meaning depends on element order (Flatten,
 * Reshape, Dense on the last axis, the graph output) ask for it in Keras order (`kerasOrder`), and
 * a Transpose is inserted only where the layout actually changes. So a conv stack costs one
 * Transpose after the input and one before Flatten, and Flatten sees H,W,C order as in Keras.
 */
import type { NamedWeight } from '../weights-format.js';
import type { AttributeValue, OnnxNode, OnnxTensor } from './onnx-proto.js';

/** A tensor of the graph. `shape` is per sample, in Keras order ([H, W, C]) whatever the layout. */
export interface Value {
  name: string;
  shape: number[];
  /** 'nchw': a rank-4 tensor stored channels-first; 'keras': stored in Keras order. */
  layout: 'keras' | 'nchw';
}

export interface KerasLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

  constructor(reserved: string[]) {
    for (const name of reserved) this.used.add(name);
  }

  /** A name no other value, node or initializer of the graph has. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  node(opType: string, inputs: string[], base: string, attributes?: Record<string, AttributeValue>, output?: string): string {
    const out = output ?? this.unique(base);
    const node: OnnxNode = { opType, name: this.unique(`${base}/${opType}`), inputs, outputs: [out] };
    if (attributes) node.attributes = attributes;
    this.nodes.push(node);
    return out;
  }

  /** Adds a float32 initializer and returns its (unique) name. */
  floats(base: string, dims: number[], data: Float32Array): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** Adds an int64 initializer (a shape or axes operand) and returns its name. */
  int64s(base: string, values: number[]): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: [values.length], data: { int64: values } });
    return name;
  }

  nchw(v: Value, base: string): string {
    if (v.layout === 'nchw') return v.name;
    return this.node('Transpose', [v.name], `${base}/to_nchw`, { perm: TO_NCHW });
  }

  kerasOrder(v: Value, base: string, output?: string): string {
    if (v.layout === 'keras') {
      return output === undefined ? v.name : this.node('Identity', [v.name], base, undefined, output);
    }
    return this.node('Transpose', [v.name], `${base}/to_nhwc`, { perm: TO_NHWC }, output);
  }
}

/** What a converter gets: the layer, its input, its weights and the graph under construction. */
export class LayerContext {
  constructor(
    readonly layer: KerasLayer,
    readonly input: Value,
    readonly graph: GraphBuilder,
    private readonly weights: Map<string, NamedWeight>,
    private readonly usedWeights: Set<string>,
  ) {}

  /** "layer 'conv2d' (Conv2D)", the start of every error about this layer. */
  get where(): string {
    return `layer '${this.layer.name}' (${this.layer.className})`;
  }

  get config(): Record<string, unknown> {
    return this.layer.config;
  }

  unsupported(what: string): Error {
    return new Error(`toOnnx: ${this.where}: ${what} is not supported by the ONNX exporter`);
  }

  /** The layer's weight '<layer name>/<param>', checked against the shape the config implies. */
  weight(param: string, shape: number[]): NamedWeight {
    const w = this.optionalWeight(param, shape);
    if (!w) throw new Error(`toOnnx: ${this.where} needs the weight '${this.layer.name}/${param}' [${shape.join(', ')}], which the weights do not hold`);
    return w;
  }

  /** The shape of the weight '<layer name>/<param>' as stored, when there is one. */
  weightShape(param: string): readonly number[] | undefined {
    return this.weights.get(`${this.layer.name}/${param}`)?.shape;
  }

  optionalWeight(param: string, shape: number[]): NamedWeight | undefined {
    const name = `${this.layer.name}/${param}`;
    const w = this.weights.get(name);
    if (!w) return undefined;
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`toOnnx: weight ${name} has shape [${w.shape.join(', ')}], but ${this.where} needs [${shape.join(', ')}]`);
    }
    this.usedWeights.add(name);
    return w;
  }

  /** A base for names of this layer's nodes and values. */
  get base(): string {
    return this.layer.name;
  }
}
