/** ONNX export of Sequential models (browser-safe, no dependencies): the package's 'wasmnn/onnx' entry, kept out of the core so apps that never export do not load it. */
export { toOnnx, ONNX_OPSET, type OnnxExportOptions, type OnnxExportSource } from './export.js';
export { registerOnnxConverter, onnxExportableLayers, type Converter as OnnxConverter } from './converters/registry.js';
export type { LayerContext as OnnxLayerContext, Value as OnnxValue } from './graph-builder.js';
