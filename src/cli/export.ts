/** `wasmnn export`: a saved model (model.json + weights) as an ONNX model and/or safetensors weights. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { decodeWeights, type NamedWeight } from '../model/weights-format.js';
import { loadArtifactsFromDirectory } from '../model/io-node.js';
import { ONNX_OPSET, toOnnx } from '../model/onnx/index.js';
import { saveWeights } from '../model/safetensors-node.js';
import { type BuilderOptions, CliError } from './options.js';
import { createOutput } from './output.js';

function builder(y: Argv) {
  return y
    .options({
      model: { type: 'string', demandOption: true, describe: 'Model directory (or its model.json)', requiresArg: true },
      onnx: { type: 'string', describe: `Write the model as ONNX (opset ${ONNX_OPSET}, NHWC input, dynamic batch) to this file`, requiresArg: true },
      safetensors: { type: 'string', describe: 'Write the weights as safetensors (F32, model.json names) to this file', requiresArg: true },
      json: { type: 'boolean', default: false, describe: 'Human output to stderr; stdout gets one JSON object with the results' },
    })
    .example('$0 export --model ./model --onnx model.onnx', 'ONNX for onnxruntime, Triton, KServe')
    .example('$0 export --model ./model --safetensors model.safetensors', 'Weights for safetensors readers');
}

type ExportOptions = BuilderOptions<typeof builder>;

async function handler(args: ArgumentsCamelCase<ExportOptions>): Promise<void> {
  const out = createOutput(args.json);
  if (args.onnx === undefined && args.safetensors === undefined) throw new CliError('nothing to export: give --onnx FILE and/or --safetensors FILE');
  const dir = resolve(args.model);
  let modelTopology: object;
  let weights: NamedWeight[];
  try {
    const { modelJson, shards } = await loadArtifactsFromDirectory(dir);
    modelTopology = modelJson.modelTopology;
    weights = decodeWeights(modelJson, shards);
  } catch (err) {
    throw new CliError(`cannot load model: ${(err as Error).message}`, { cause: err });
  }
  const result: Record<string, unknown> = { command: 'export', model: dir };

  if (args.onnx !== undefined) {
    const path = resolve(args.onnx);
    let bytes: Uint8Array;
    try {
      bytes = toOnnx({ modelTopology, weights });
    } catch (err) {
      throw new CliError(`cannot export to ONNX: ${(err as Error).message.replace(/^toOnnx: /, '')}`, { cause: err });
    }
    await writeFile(path, bytes).catch((err: Error) => {
      throw new CliError(`cannot write --onnx ${path}: ${err.message}`, { cause: err });
    });
    out.info(`Wrote ${path} (ONNX opset ${ONNX_OPSET}, ${bytes.byteLength.toLocaleString('en-US')} bytes)`);
    Object.assign(result, { onnx: path, onnxBytes: bytes.byteLength, opset: ONNX_OPSET });
  }
  if (args.safetensors !== undefined) {
    const path = resolve(args.safetensors);
    await saveWeights({ getWeights: () => weights }, path).catch((err: Error) => {
      throw new CliError(`cannot write --safetensors ${path}: ${err.message}`, { cause: err });
    });
    out.info(`Wrote ${path} (safetensors, ${weights.length} tensors)`);
    Object.assign(result, { safetensors: path, tensors: weights.length });
  }
  out.result(result);
}

export const exportCommand: CommandModule<object, ExportOptions> = {
  command: 'export',
  describe: 'Export a saved model as ONNX and/or its weights as safetensors',
  builder,
  handler,
};
