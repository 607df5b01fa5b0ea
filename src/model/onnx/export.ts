/**
 * toOnnx: a Sequential model, read from its serialized form (the Keras modelTopology of model.json
 * and the named weights), as an ONNX model (opset 13, IR 7). The graph's input and output keep
 * wasmnn's NHWC layout and a symbolic batch dimension ('batch'); inside, convolutions and pooling
 * run NCHW (see graph-builder.ts for where Transposes go).
 */
import { GENERATED_BY, type NamedWeight } from '../weights-format.js';
import { GraphBuilder, LayerContext, type Value } from './graph-builder.js';
import { encodeModel, OPSET } from './onnx-proto.js';
import { onnxConverter, onnxExportableLayers } from './converters/registry.js';
import { readSequentialTopology } from './sequential-topology.js';

export { OPSET as ONNX_OPSET };

export interface OnnxExportOptions {
  /** Name of the graph input (default 'input'). */
  inputName?: string;
  /** Name of the graph output (default 'output'). */
  outputName?: string;
}

/** A model (anything with toArtifacts and getWeights, as Sequential) or its serialized parts. */
export type OnnxExportSource =
  | { toArtifacts(): { modelJson: { modelTopology: object } }; getWeights(): NamedWeight[] }
  | { modelTopology: object; weights: readonly NamedWeight[] };

export function toOnnx(model: OnnxExportSource, options: OnnxExportOptions = {}): Uint8Array {
  const { modelTopology, weights } = 'modelTopology' in model ? model : { modelTopology: model.toArtifacts().modelJson.modelTopology, weights: model.getWeights() };
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName) throw new Error(`toOnnx: inputName and outputName must differ, both are '${inputName}'`);
  const topology = readSequentialTopology(modelTopology);

  const byName = new Map<string, NamedWeight>();
  for (const w of weights) {
    if (byName.has(w.name)) throw new Error(`toOnnx: duplicate weight name ${w.name}`);
    byName.set(w.name, w);
  }
  const used = new Set<string>();
  const graph = new GraphBuilder([inputName, outputName]);
  let value: Value = { name: inputName, shape: topology.inputShape, layout: 'keras' };
  for (const layer of topology.layers) {
    const convert = onnxConverter(layer.className);
    if (!convert) {
      throw new Error(`toOnnx: layer '${layer.name}' (${layer.className}) is not supported by the ONNX exporter; supported: ${onnxExportableLayers().join(', ')}`);
    }
    value = convert(new LayerContext(layer, value, graph, byName, used));
  }
  const unused = weights.filter((w) => !used.has(w.name)).map((w) => w.name);
  if (unused.length) throw new Error(`toOnnx: weights ${unused.join(', ')} belong to no exported layer; the weights do not match the topology`);
  graph.kerasOrder(value, 'output', outputName);

  return encodeModel(
    {
      name: topology.name,
      nodes: graph.nodes,
      initializers: graph.initializers,
      inputs: [{ name: inputName, dims: ['batch', ...topology.inputShape] }],
      outputs: [{ name: outputName, dims: ['batch', ...value.shape] }],
    },
    {
      producerName: 'wasmnn',
      producerVersion: GENERATED_BY.replace(/^wasmnn /, ''),
      docString: `Exported from the Keras Sequential model '${topology.name}'; input and output are NHWC (channels last) as in wasmnn.`,
    },
  );
}
