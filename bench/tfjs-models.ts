// TF.js 4.22 counterparts of the wasmnn architectures (same topology, Adam, softmax +
// categorical cross-entropy) and the backend setup: 'cpu' (tfjs-backend-cpu, plain JS) and 'wasm'
// (tfjs-backend-wasm, XNNPACK; in Node it always runs single-threaded SIMD, since its
// WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false under Node).
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { buildArchitecture } from '../src/architectures.js';
import type { Tensor as WTensor } from '../src/tensor.js';

export { tf };

/** 'wasm+cpu-conv-filter' = the WASM backend with Conv2DBackpropFilter borrowed from the CPU backend. */
export type TfBackendName = 'cpu' | 'wasm' | 'wasm+cpu-conv-filter';

/**
 * The TF.js twin of a wasmnn architecture: built from the wasmnn model's own Keras topology
 * (so the two can never drift apart), with TF.js' default initializers, compiled with Adam.
 */
export async function buildTfModel(name: string, learningRate = 1e-3): Promise<tf.LayersModel> {
  const twin = buildArchitecture(name, { backend: 'js' });
  const model = await tf.models.modelFromJSON({ modelTopology: twin.toTopology() } as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A wasmnn tensor (e.g. MNIST images [n, 28, 28, 1]) as a TF.js tensor on the current backend. */
export function toTf(t: WTensor): tf.Tensor {
  return tf.tensor(t.data, [...t.shape], 'float32');
}

function wasmDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main file lives in dist/, next to the three .wasm builds.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
}

let wasmPathsSet = false;
let borrowed = false;

/** Switches TF.js to the named backend (initializing it on first use; nothing is downloaded). */
export async function useTfBackend(name: TfBackendName): Promise<void> {
  const backend = name === 'cpu' ? 'cpu' : 'wasm';
  if (backend === 'wasm' && !wasmPathsSet) {
    // A directory prefix: under Node the emscripten loader reads prefix + file name with fs.
    setWasmPaths(wasmDir());
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' failed to initialize`);
  await tf.ready();
  if (name === 'wasm+cpu-conv-filter') borrowCpuConv2DBackpropFilter();
  else if (name === 'wasm') unborrow();
}

/** Which TF.js WASM build runs (Node: never threaded; see the header comment). */
export async function tfWasmInfo(): Promise<{ simd: boolean; multithread: boolean; wasmDir: string }> {
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    multithread: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    wasmDir: join(wasmDir()),
  };
}

/**
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so the gradient of any conv
 * layer's kernel fails there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 * To get a training number anyway, this registers the CPU backend's kernel for 'wasm':
 *
 *  - tfjs-core's kernel registry maps `${backendName}_${kernelName}` to a KernelConfig whose
 *    kernelFunc receives ({inputs, backend, attrs}) with TensorInfos ({dataId, shape, dtype})
 *    that belong to THAT backend; the CPU kernel reads `cpuBackend.data.get(dataId).values`,
 *    so it cannot be handed wasm dataIds directly.
 *  - So the wrapper reads the two inputs (x, dy) out of the WASM heap synchronously with
 *    BackendWasm.readSync(dataId) (a copy of the heap bytes), writes them into the CPU backend
 *    with MathBackendCPU.write(values, shape, dtype) (new CPU dataIds), calls the CPU kernelFunc
 *    with backend = the CPU backend, reads its output with cpuBackend.readSync and frees the three
 *    CPU-side buffers with disposeData, and finally returns a TensorInfo owned by the WASM
 *    backend: BackendWasm.makeOutput(shape, dtype, undefined, values) mallocs on the WASM heap and
 *    copies the values in (the same call the WASM kernels use for their outputs, refCount 1).
 *  - The engine then wraps that TensorInfo as a normal wasm tensor; the gradient (Conv2D's
 *    registered gradFunc calls conv2DBackpropFilter) flows on unchanged.
 * The CPU backend must be initialized (tf.findBackend('cpu')), which importing @tensorflow/tfjs
 * and calling tf.setBackend('cpu') once does. The copy costs are small next to the kernel itself.
 */
function borrowCpuConv2DBackpropFilter(): void {
  if (borrowed) return;
  const cpuConfig = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (!cpuConfig) throw new Error('the TF.js CPU backend has no Conv2DBackpropFilter kernel');
  const cpu = tf.findBackend('cpu') as MathBackendCPU | null;
  if (!cpu) throw new Error("the TF.js 'cpu' backend is not initialized");
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const cpuInputs: Record<string, tf.TensorInfo> = {};
      for (const [key, info] of Object.entries(inputs)) {
        if (!info) continue;
        const values = wasm.readSync(info.dataId);
        cpuInputs[key] = { dataId: cpu.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
      }
      const out = cpuConfig.kernelFunc(attrs === undefined ? { inputs: cpuInputs, backend: cpu } : { inputs: cpuInputs, backend: cpu, attrs });
      if (Array.isArray(out)) throw new Error('Conv2DBackpropFilter: expected one output');
      const values = cpu.readSync(out.dataId);
      for (const info of [...Object.values(cpuInputs), out]) cpu.disposeData(info.dataId, true);
      return wasm.makeOutput(out.shape, out.dtype, undefined, values);
    },
  });
  borrowed = true;
}

function unborrow(): void {
  if (!borrowed) return;
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  borrowed = false;
}
