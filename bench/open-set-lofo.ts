// Leave one family out: how a way of training the open-set recognizer (train-open-set.ts) carries
// "not a digit" over to a kind of non-digit it never saw, measured WITHOUT the held-out families,
// so training choices can be made on it. For each train family F, a model is trained (smaller
// than the shipped run) on the other families and scored on unseen samples of F: the share
// rejected at the recognizer's threshold (DEFAULT_MAX_NOT_DIGIT), and at the threshold that
// rejects a fixed share of the run's validation digits (so a model that rejects more digits gains
// nothing by it). Image-level rules (blank, noise, texture) count as rejections, shape rules do not, as in recognizeDigit.
//
//   npx tsx bench/open-set-lofo.ts [--families …,katakana,hebrew] [--turned 5000] [--epochs 6]
//     [--train-limit 20000] [--per-family 1000] [--overlaid 4000] [--samples 300] [--digit-budget 0.005] [--seed 1]
import { parseArgs } from 'node:util';
import { nonNegativeInt, openUnitInterval } from '../src/cli/options.js';
import { DEFAULT_MAX_NOT_DIGIT } from '../src/image/recognize.js';
import { loadMnist, Tensor, type Sequential } from '../src/index.node.js';
import { mnistThroughPipeline, nonDigitInputs, NOT_A_DIGIT, OPEN_SET_CLASSES, type PipelineInputs } from '../src/recognizer/open-set-data.js';
import { ruledOutFirst } from '../src/recognizer/open-set-thresholds.js';
import { trainOpenSet } from '../src/recognizer/train-open-set.js';
import { parseTrainFamilies, TRAIN_FAMILIES } from '../src/synthetic/nondigits.js';
import { table } from './common.js';

const { values } = parseArgs({
  options: {
    families: { type: 'string', default: TRAIN_FAMILIES.join(',') },
    turned: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '6' },
    'train-limit': { type: 'string', default: '20000' },
    'per-family': { type: 'string', default: '1000' },
    overlaid: { type: 'string', default: '4000' },
    samples: { type: 'string', default: '300' },
    'digit-budget': { type: 'string', default: '0.005' },
    seed: { type: 'string', default: '1' },
  },
});
const int = (k: Exclude<keyof typeof values, 'families' | 'digit-budget'>): number => nonNegativeInt(k)(values[k])!;
const families = parseTrainFamilies(values.families!);
const budget = openUnitInterval('digit-budget')(values['digit-budget'])!;
const MNIST_VAL = 2000;
const PIXELS = 784;

const { train } = await loadMnist({ only: 'train', trainLimit: int('train-limit') });
const n = train.labels.length;
const valDigits = mnistThroughPipeline(train.x.data.subarray((n - MNIST_VAL) * PIXELS), MNIST_VAL);

/** "Not a digit" probabilities, 2 (above any threshold) where an image-level rule already rejected (as recognizeDigit, shape rules overridden). */
async function notDigit(model: Sequential, inputs: PipelineInputs): Promise<number[]> {
  const rows = inputs.ruledOut.length;
  const p = (await model.predict(new Tensor(inputs.inputs, [rows, 28, 28, 1]), { batchSize: 256 })).data;
  return Array.from({ length: rows }, (_, i) => (ruledOutFirst(inputs.ruledOut[i]!) ? 2 : p[i * OPEN_SET_CLASSES + NOT_A_DIGIT]!));
}

const share = (scores: number[], threshold: number): number => scores.filter((s) => s > threshold).length / scores.length;
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const rows: string[][] = [];
const left: number[] = [], matched: number[] = [], digits: number[] = [];
for (const out of families) {
  const t0 = performance.now();
  const { model } = await trainOpenSet({
    seed: int('seed'), arch: 'compact', families: families.filter((f) => f !== out), perFamily: int('per-family'), valPerFamily: 50,
    overlaid: int('overlaid'), turned: int('turned'), painted: 0, mnistVal: MNIST_VAL, trainLimit: n, epochs: int('epochs'), log: () => {},
  });
  // Samples of the left-out family no run draws (other seed, far indices).
  const unseen = await notDigit(model, nonDigitInputs(int('seed') + 1000, [out], int('samples'), 1_000_000));
  const valScores = await notDigit(model, valDigits);
  model.dispose();
  const sorted = [...valScores].sort((a, b) => b - a);
  const atBudget = sorted[Math.floor(budget * sorted.length)]!;
  left.push(share(unseen, DEFAULT_MAX_NOT_DIGIT));
  matched.push(share(unseen, atBudget));
  digits.push(share(valScores, DEFAULT_MAX_NOT_DIGIT));
  rows.push([out, pct(left.at(-1)!), pct(matched.at(-1)!), atBudget.toFixed(3), pct(digits.at(-1)!), `${((performance.now() - t0) / 1000).toFixed(0)} s`]);
  console.log(rows.at(-1)!.join('  '));
}
const mean = (v: number[]): string => pct(v.reduce((a, b) => a + b, 0) / v.length);
rows.push(['mean', mean(left), mean(matched), '', mean(digits), '']);
console.log(`\nleave one family out: compact, ${int('epochs')} epochs, ${n - MNIST_VAL} MNIST, ${int('per-family')} per family, ${int('overlaid')} overlaid, ${int('turned')} turned; families ${families.join(',')}\n`);
console.log(table(['left out', `rejected at ${DEFAULT_MAX_NOT_DIGIT}`, `rejected at ${pct(budget)} of val digits`, 'that threshold', `val digits rejected at ${DEFAULT_MAX_NOT_DIGIT}`, 'time'], rows));
