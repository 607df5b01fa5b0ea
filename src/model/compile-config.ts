import { lossFromConfig, type Loss } from '../losses.js';
import { optimizerFromTfjs, type Optimizer } from '../optimizers.js';
import { shapeSize, type Shape } from '../tensor.js';
import { metricsFromConfig, type Metric, type MetricSpec } from './metrics.js';

/** A loss that cannot describe this output is an error at compile, naming both. */
export function checkLossFitsOutput(loss: Loss, outputShape: Shape): void {
  const units = shapeSize(outputShape);
  const perClass = loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy' || loss.name === 'kld';
  if (perClass && units < 2) {
    throw new Error(
      `compile: ${loss.name} compares distributions over classes, but the model outputs ${units} value per sample; ` +
        'give the last layer one unit per class, or use binaryCrossentropy for a one-unit output',
    );
  }
}

/** Where model.json keeps compile's settings (see compileConfigParts). */
export interface CompileConfigParts {
  trainingConfig?: Record<string, unknown>;
  /** userDefinedMetadata.wasmnnCompile: the settings TF.js' trainingConfig cannot hold. */
  wasmnnCompile?: Record<string, unknown>;
}

/**
 * compile's settings for model.json. trainingConfig is what TF.js 4.22 writes and compiles from
 * on load (loss and metrics by snake_case name, optimizer_config), holding only what TF.js knows
 * with the same meaning: a TF.js that read an unknown loss or metric there would refuse the whole
 * model. So a loss TF.js lacks (huber) or options its losses lack (fromLogits, labelSmoothing)
 * leave trainingConfig out, and metrics it lacks (auc, precision, …) are left out of its list;
 * then userDefinedMetadata.wasmnnCompile holds the full settings in Keras' serialized form, which
 * wasmnn reads first.
 */
export function compileConfigParts(loss: Loss, metrics: readonly Metric[], optimizer: Optimizer): CompileConfigParts {
  const optimizerConfig = optimizer.toTfjs();
  const parts: CompileConfigParts = {};
  if (loss.tfjsName) {
    const tfjsMetrics = metrics.flatMap((m) => (m.tfjsName ? [m.tfjsName] : []));
    parts.trainingConfig = { loss: loss.tfjsName, metrics: tfjsMetrics, ...(optimizerConfig && { optimizer_config: optimizerConfig }) };
  }
  if (!loss.tfjsName || metrics.some((m) => !m.tfjsName)) {
    parts.wasmnnCompile = { loss: loss.toConfig(), metrics: metrics.map((m) => m.config), ...(optimizerConfig && { optimizer_config: optimizerConfig }) };
  }
  return parts;
}

/**
 * The compile settings saved in a model file — wasmnn's full form if present, else a TF.js or
 * Keras trainingConfig — or null when there are none wasmnn can rebuild (no optimizer it has, or
 * a loss it does not know: the model loads uncompiled, as TF.js loads one).
 */
export function compileSettingsFromModelFile(trainingConfig: unknown, userDefinedMetadata: unknown): { loss: Loss; metrics: MetricSpec[]; optimizer: Optimizer } | null {
  const fromWasmnn = (userDefinedMetadata as { wasmnnCompile?: unknown } | undefined)?.wasmnnCompile;
  const config = fromWasmnn ?? trainingConfig;
  if (typeof config !== 'object' || config === null) return null;
  const { loss, metrics, optimizer_config: optimizerConfig } = config as { loss?: unknown; metrics?: unknown; optimizer_config?: unknown };
  const optimizer = optimizerFromTfjs(optimizerConfig);
  if (!optimizer) return null;
  let compiledLoss: Loss;
  try {
    compiledLoss = lossFromConfig(loss);
  } catch (error) {
    // A Keras/TF.js loss wasmnn lacks (poisson, say) leaves the model uncompiled; in wasmnn's own
    // settings, a loss it cannot read means a damaged file.
    if (fromWasmnn !== undefined) throw new Error(`model.json: userDefinedMetadata.wasmnnCompile: ${(error as Error).message}`);
    return null;
  }
  return { loss: compiledLoss, metrics: metricsFromConfig(metrics), optimizer };
}
