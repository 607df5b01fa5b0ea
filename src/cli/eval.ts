/** `wasmnn eval`: load a saved model and measure it on the MNIST test set. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadMnist, loadModel, oneHot } from '../index.node.js';
import { type BuilderOptions, CliError, commonOptions, mnistError } from './options.js';
import { createOutput, round } from './output.js';

function builder(y: Argv) {
  return y
    .options({
      model: { type: 'string', demandOption: true, describe: 'Model directory (or its model.json)', requiresArg: true },
      ...commonOptions,
    })
    .example('$0 eval --model ./model', 'Test accuracy of a saved model')
    .example('$0 eval --model ./model --test-limit 1000 --json', 'First 1000 test images, JSON result');
}

type EvalOptions = BuilderOptions<typeof builder>;

async function handler(args: ArgumentsCamelCase<EvalOptions>): Promise<void> {
  const out = createOutput(args.json);
  const dir = resolve(args.model);
  const model = await loadModel(dir, args.backend ? { backend: args.backend } : {}).catch((err: Error) => {
    throw new CliError(`cannot load model: ${err.message}`, { cause: err });
  });
  try {
    const backend = model.backend?.name ?? 'unknown';
    out.info(`Model ${dir} (${model.paramCount.toLocaleString('en-US')} params, backend ${backend})`);
    // Evaluation needs a loss: the one the model was trained with when its file has it (so the
    // loss matches train's, label smoothing included), else crossentropy. The optimizer is never used.
    model.compile({ optimizer: 'adam', loss: model.loss ?? 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { test } = await loadMnist({ only: 'test', ...(args.data !== undefined ? { dir: args.data } : {}), ...(args.testLimit !== undefined ? { testLimit: args.testLimit } : {}) }).catch(
      (err: Error) => {
        throw mnistError(err);
      },
    );
    if (test.labels.length === 0) throw new CliError('the MNIST test files hold no images');
    const t0 = performance.now();
    // An open-set model (the shipped one) has an 11th class, "not a digit": no MNIST label names it,
    // so the labels get a zero column and an image it calls "not a digit" counts as wrong.
    const classes = model.outputShape.at(-1) ?? 10;
    const result = await model.evaluate(test.x, classes === 10 ? test.y : oneHot(test.labels, classes), { batchSize: 256 });
    const seconds = (performance.now() - t0) / 1000;
    const testAccuracy = result.accuracy ?? NaN;
    out.info(`Test accuracy: ${(testAccuracy * 100).toFixed(2)}% - loss: ${result.loss.toFixed(4)} (${test.labels.length} images, ${seconds.toFixed(1)}s)`);
    out.result({
      command: 'eval',
      model: dir,
      backend,
      params: model.paramCount,
      testSamples: test.labels.length,
      testLoss: round(result.loss, 6),
      testAccuracy: round(testAccuracy, 6),
      evalSeconds: round(seconds, 3),
      samplesPerSecond: round(test.labels.length / seconds, 1),
    });
  } finally {
    model.dispose();
  }
}

export const evalCommand: CommandModule<object, EvalOptions> = {
  command: 'eval',
  describe: 'Evaluate a saved model on the MNIST test set',
  builder,
  handler,
};
