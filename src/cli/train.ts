/** `wasmnn train`: train a named architecture on MNIST, evaluate it, save it. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { type LrSchedule, architectureNames, buildArchitecture, compileWithRecipe, DEFAULT_ARCHITECTURE, describeSchedule, LR_SCHEDULES, recipe, recipeSchedule } from '../architectures.js';
import { describeBackend, loadMnist, loadModel, type Sequential } from '../index.node.js';
import { type BuilderOptions, CliError, commonOptions, integer, halfOpenUnitInterval, mnistError, openUnitInterval, positiveInt, positiveNumber, unitInterval } from './options.js';
import { createOutput, round } from './output.js';
import { trainingRowsOfSplit } from '../model/input-checks.js';

function builder(y: Argv) {
  return y
    .options({
      arch: { type: 'string', choices: architectureNames(), default: DEFAULT_ARCHITECTURE, describe: 'Architecture (and its training recipe)', requiresArg: true },
      epochs: { describe: "Epochs, a positive integer (default: the recipe's)", requiresArg: true, coerce: positiveInt('epochs') },
      'batch-size': { describe: "Batch size, a positive integer (default: the recipe's)", requiresArg: true, coerce: positiveInt('batch-size') },
      lr: { describe: "Initial Adam learning rate, a positive number (default: the recipe's)", requiresArg: true, coerce: positiveNumber('lr') },
      schedule: { type: 'string', choices: LR_SCHEDULES, describe: "Learning-rate schedule (default: the recipe's)", requiresArg: true },
      'lr-decay': { describe: "Per-epoch learning-rate factor in (0, 1] of the epoch-decay schedule (default: the recipe's)", requiresArg: true, coerce: unitInterval('lr-decay') },
      'label-smoothing': { describe: "Label smoothing of the crossentropy, a number in [0, 1) (default: the recipe's)", requiresArg: true, coerce: halfOpenUnitInterval('label-smoothing') },
      seed: { default: 42, describe: 'Seed for weight init, shuffling and dropout, an integer', requiresArg: true, coerce: integer('seed') },
      out: { type: 'string', default: './model', describe: 'Directory to save the trained model in', requiresArg: true },
      checkpoint: { type: 'string', describe: 'Directory to save a checkpoint in after every epoch (model, optimizer state, position; atomic)', requiresArg: true },
      resume: { type: 'string', describe: 'Continue the run whose checkpoint is in this directory (give the same options as that run)', requiresArg: true },
      'validation-split': { describe: 'Hold out this fraction of the training images (the last ones, as Keras does) and report accuracy on them after every epoch; a number in (0, 1)', requiresArg: true, coerce: openUnitInterval('validation-split') },
      'train-limit': { describe: 'Use only the first N training images (N a positive integer)', requiresArg: true, coerce: positiveInt('train-limit') },
      ...commonOptions,
    })
    .example('$0 train', 'Train the default (accurate) CNN with its recipe, save to ./model')
    .example('$0 train --arch compact', 'The fast recipe: two epochs')
    .example('$0 train --arch seed --epochs 1 --out seed-model', 'Train the seed model for one epoch')
    .example('$0 train --train-limit 3000 --test-limit 500 --epochs 1 --json', 'Quick run; last stdout line is JSON')
    .example('$0 train --checkpoint ckpt', 'Save a checkpoint after every epoch; after a crash, the same command with --resume ckpt continues');
}

type TrainOptions = BuilderOptions<typeof builder>;

async function handler(args: ArgumentsCamelCase<TrainOptions>): Promise<void> {
  const out = createOutput(args.json);
  const arch = args.arch;
  const plan = recipe(arch, { epochs: args.epochs, batchSize: args.batchSize, learningRate: args.lr, schedule: args.schedule as LrSchedule | undefined, lrDecay: args.lrDecay, labelSmoothing: args.labelSmoothing });
  if (args.lrDecay !== undefined && plan.schedule !== 'epoch-decay') throw new CliError(`--lr-decay applies to the epoch-decay schedule; this run uses '${plan.schedule}' (add --schedule epoch-decay)`);
  const mnistOptions: Parameters<typeof loadMnist>[0] = {};
  if (args.data !== undefined) mnistOptions.dir = args.data;
  if (args.trainLimit !== undefined) mnistOptions.trainLimit = args.trainLimit;
  if (args.testLimit !== undefined) mnistOptions.testLimit = args.testLimit;
  const { train, test } = await loadMnist(mnistOptions).catch((err: Error) => {
    throw mnistError(err);
  });
  if (train.labels.length === 0 || test.labels.length === 0) throw new CliError('the MNIST files hold no training or no test images');

  const split = args.validationSplit;
  // fit's own split (Keras': the last rows are held out), so the schedule counts the rows that train.
  const trainRows = split === undefined ? train.labels.length : trainingRowsOfSplit(train.labels.length, split);
  if (split !== undefined && (trainRows < 1 || trainRows >= train.labels.length)) throw new CliError(`--validation-split ${split} leaves no training or no validation images out of ${train.labels.length}`);
  const backendOption = args.backend ? { backend: args.backend } : {};
  const model = args.resume === undefined ? buildArchitecture(arch, { seed: args.seed, ...backendOption }) : await loadCheckpoint(resolve(args.resume), backendOption);
  try {
    if (args.resume === undefined) compileWithRecipe(model, plan, trainRows);
    else model.optimizer!.schedule = recipeSchedule(plan, trainRows);
    const initialEpoch = model.epochsCompleted;
    if (initialEpoch >= plan.epochs) throw new CliError(`the checkpoint has completed ${initialEpoch} epoch(s) already; --epochs is ${plan.epochs}`);
    if (initialEpoch > 0) out.info(`Resuming from ${resolve(args.resume!)} after epoch ${initialEpoch}`);
    model.summary(out.info);
    await model.build();
    const backend = model.backend?.name ?? 'unknown';
    const runsOn = model.backend ? describeBackend(model.backend) : 'unknown';
    out.info(`Training ${arch} on ${trainRows} images${split === undefined ? '' : ` (${train.labels.length - trainRows} held out for validation)`}: ${plan.epochs} epoch(s), batch ${plan.batchSize}, ${describeSchedule(plan)}, backend ${runsOn}`);

    const t0 = performance.now();
    const checkpoint = args.checkpoint === undefined ? {} : { checkpoint: resolve(args.checkpoint) };
    const validation = split === undefined ? {} : { validationSplit: split };
    const history = await model.fit(train.x, train.y, { batchSize: plan.batchSize, epochs: plan.epochs, initialEpoch, output: out.progress, ...checkpoint, ...validation });
    const trainSeconds = (performance.now() - t0) / 1000;
    const epochs = history.epoch.length;
    const samplesPerSecond = (trainRows * epochs) / trainSeconds;

    const e0 = performance.now();
    const result = await model.evaluate(test.x, test.y, { batchSize: 256 });
    const evalSeconds = (performance.now() - e0) / 1000;
    const testAccuracy = result.accuracy ?? NaN;
    out.info(`Test accuracy: ${(testAccuracy * 100).toFixed(2)}% - loss: ${result.loss.toFixed(4)} (${test.labels.length} images, ${evalSeconds.toFixed(1)}s)`);
    out.info(`Trained in ${trainSeconds.toFixed(1)}s (${samplesPerSecond.toFixed(0)} samples/s)`);

    const dir = resolve(args.out);
    await model.save(dir);
    out.info(`Saved model to ${dir}`);

    const last = (k: string) => history.history[k]?.at(-1);
    out.result({
      command: 'train',
      arch,
      backend,
      runsOn,
      epochs,
      batchSize: plan.batchSize,
      learningRate: plan.learningRate,
      schedule: plan.schedule,
      lrDecay: plan.lrDecay,
      labelSmoothing: plan.labelSmoothing,
      seed: args.seed,
      params: model.paramCount,
      trainSamples: trainRows,
      validationSamples: train.labels.length - trainRows,
      testSamples: test.labels.length,
      trainLoss: round(last('loss') ?? NaN, 6),
      trainAccuracy: round(last('accuracy') ?? NaN, 6),
      validationAccuracy: split === undefined ? null : round(last('val_accuracy') ?? NaN, 6),
      testLoss: round(result.loss, 6),
      testAccuracy: round(testAccuracy, 6),
      trainSeconds: round(trainSeconds, 3),
      samplesPerSecond: round(samplesPerSecond, 1),
      evalSeconds: round(evalSeconds, 3),
      modelDir: dir,
    });
  } finally {
    model.dispose();
  }
}

/** A checkpoint written by --checkpoint: a model saved with its optimizer state. */
async function loadCheckpoint(dir: string, options: { backend?: string }): Promise<Sequential> {
  const model = await loadModel(dir, options as Parameters<typeof loadModel>[1]).catch((err: Error) => {
    throw new CliError(`--resume ${dir}: ${err.message}`, { cause: err });
  });
  if (model.epochsCompleted === 0 || !model.optimizer) {
    model.dispose();
    throw new CliError(`--resume ${dir}: not a checkpoint (a model saved without its optimizer state); use a directory written by --checkpoint`);
  }
  return model;
}

export const trainCommand: CommandModule<object, TrainOptions> = {
  command: 'train',
  describe: 'Train a CNN on MNIST, evaluate it on the test set and save it',
  builder,
  handler,
};
