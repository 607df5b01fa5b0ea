/**
 * The table the recognizer's open-set thresholds are chosen from, on VALIDATION data only: the
 * MNIST training images a training run kept out (its last --mnist-val) and unseen samples of the
 * TRAIN families (the indices after the ones it trained and validated on), each through the image
 * pipeline as recognizeDigit sees them. For each pair (maxNotDigit, minConfidence) of the decision
 * rule in image/recognize.ts it prints the share of those digits and non-digits rejected. Nothing
 * here reads MNIST's test set or a held-out family.
 *
 *   npx tsx src/recognizer/open-set-thresholds.ts --model pretrained/compact
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SHAPE_CODES } from '../image/recognize.js';
import { loadMnist, loadModel, Tensor } from '../index.node.js';
import { defaultModelDir } from '../pretrained.js';
import type { RejectionCode } from '../image/rejection.js';
import { parseTrainFamilies } from '../synthetic/nondigits.js';
import { mnistThroughPipeline, nonDigitInputs, NOT_A_DIGIT, OPEN_SET_CLASSES, type PipelineInputs } from './open-set-data.js';
import type { OpenSetTrainingReport } from './train-open-set.js';

const PIXELS = 784;

export interface ThresholdRow {
  maxNotDigit: number;
  minConfidence: number;
  digitsRejected: number;
  nonDigitsRejected: number;
}

/** Whether the image pipeline rejects before the open-set model is asked: an image-level rule (blank, noise, texture), not a shape rule, which an open-set model overrides (recognize.ts). */
export function ruledOutFirst(code: RejectionCode | ''): boolean {
  return code !== '' && !SHAPE_CODES.has(code);
}

/**
 * Shares rejected by the rule "not a digit" > maxNotDigit, or the top digit's probability given a
 * digit (p / (1 − p(not a digit))) < minConfidence, or an image-level rule ruled it out first.
 */
export function rejectionTable(probs: ArrayLike<number>, ruledOut: PipelineInputs['ruledOut'], labels: ArrayLike<number>, maxNotDigit: readonly number[], minConfidence: readonly number[]): ThresholdRow[] {
  const rows: ThresholdRow[] = [];
  for (const t of maxNotDigit) {
    for (const g of minConfidence) {
      let digits = 0, nonDigits = 0, rd = 0, rn = 0;
      for (let i = 0; i < labels.length; i++) {
        const p = (c: number): number => probs[i * OPEN_SET_CLASSES + c]!;
        let top = 0;
        for (let c = 0; c < 10; c++) top = Math.max(top, p(c));
        const nd = p(NOT_A_DIGIT);
        const early = ruledOutFirst(ruledOut[i]!);
        const rejected = early || nd > t || (nd < 1 ? top / (1 - nd) : 0) < g ? 1 : 0;
        if (labels[i] === NOT_A_DIGIT) {
          nonDigits++;
          rn += rejected;
        } else {
          digits++;
          rd += rejected;
        }
      }
      rows.push({ maxNotDigit: t, minConfidence: g, digitsRejected: rd / Math.max(1, digits), nonDigitsRejected: rn / Math.max(1, nonDigits) });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, samples: { type: 'string', default: '150' } } });
  const dir = values.model ?? defaultModelDir();
  const training = JSON.parse(await readFile(join(dir, 'training.json'), 'utf8')) as Pick<OpenSetTrainingReport, 'seed' | 'families' | 'trainSamples' | 'valSamples'>;
  // What the run drew per family, from its report (train-open-set.ts), not from its command line.
  const perFamily = training.trainSamples.nonDigits / training.families.length;
  const valPerFamily = training.valSamples.nonDigits / training.families.length;
  const samples = Number(values.samples);
  const { train } = await loadMnist({ only: 'train' });
  const n = train.labels.length, nVal = training.valSamples.mnist;
  const mnist = mnistThroughPipeline(train.x.data.subarray((n - nVal) * PIXELS), nVal);
  // Unseen samples of the train families: after the ones trained on and the ones the temperature was fitted on.
  const nd = nonDigitInputs(training.seed, parseTrainFamilies(training.families.join(',')), samples, perFamily + valPerFamily);
  const rows = nVal + nd.families.length;
  const x = new Float32Array(rows * PIXELS);
  x.set(mnist.inputs);
  x.set(nd.inputs, nVal * PIXELS);
  const labels = new Uint8Array(rows);
  labels.set(train.labels.subarray(n - nVal));
  labels.fill(NOT_A_DIGIT, nVal);
  const model = await loadModel(dir);
  const probs = (await model.predict(new Tensor(x, [rows, 28, 28, 1]), { batchSize: 256 })).data;
  model.dispose();
  console.log(`model ${dir}: validation digits ${nVal} (MNIST train's last), non-digits ${nd.families.length} (train families, indices ${perFamily + valPerFamily}..)\n`);
  console.log('| maxNotDigit | minConfidence | digits rejected | non-digits rejected |');
  console.log('|---|---|---|---|');
  const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
  for (const r of rejectionTable(probs, [...mnist.ruledOut, ...nd.ruledOut], labels, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], [0, 0.5, 0.6, 0.7, 0.8])) {
    console.log(`| ${r.maxNotDigit} | ${r.minConfidence} | ${pct(r.digitsRejected)} | ${pct(r.nonDigitsRejected)} |`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
