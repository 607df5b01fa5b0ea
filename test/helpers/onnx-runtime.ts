/**
 * onnxruntime-web's WASM build in Node, the real other side of the ONNX export. It loads its
 * .wasm from the package's own dist folder (never from the network) on one thread.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';

const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
ort.env.wasm.wasmPaths = pathToFileURL(join(dist, '/')).href;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export { ort };

/** Loads an exported model (onnxruntime checks the graph when it loads it) and runs it once. */
export async function runOnnx(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) };
    const out = (await session.run(feeds))[session.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

export { maxAbsDiff } from './max-abs-diff.js';
