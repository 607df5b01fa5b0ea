// The recognizer's open-set table: the share of non-digits rejected per family (held-out families
// were never trained on; train families are measured on samples after the ones trained on), the
// share of MNIST test digits rejected or misread, and the calibration error of the confidence
// before and after temperature scaling, with and without the shape rules.
//
//   npx tsx bench/open-set.ts [--model DIR] [--per-family 300] [--mnist 10000] [--seed 7]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist, loadModel } from '../src/index.node.js';
import { defaultModelDir } from '../src/pretrained.js';
import { applyTemperature, calibrationError } from '../src/recognizer/calibration.js';
import { mnistOutcomes, nonDigitRejection, type FamilyRejection } from '../src/recognizer/open-set-eval.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { HELD_OUT_FAMILIES, TRAIN_FAMILIES, type TrainFamily } from '../src/synthetic/nondigits.js';
import type { Classify } from '../src/image/types.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    'per-family': { type: 'string', default: '300' },
    mnist: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '7' },
  },
});
const dir = values.model ?? defaultModelDir();
const perFamily = Number(values['per-family']);
const seed = Number(values.seed);
const training = JSON.parse(await readFile(join(dir, 'training.json'), 'utf8').catch(() => '{}')) as { temperature?: number; seed?: number; families?: TrainFamily[] };
// The families this model trained on (training.json), measured on samples it never saw.
const trainFamilies = training.families ?? TRAIN_FAMILIES;
const model = await loadModel(dir);
const calibrated = modelClassifier(model);
// The model before temperature scaling: its baked-in 1/T undone (p^T renormalised).
const t = training.temperature ?? 1;
const raw: Classify = async (x, n) => {
  const p = await calibrated(x, n);
  return Float32Array.from(applyTemperature(p, p.length / n, 1 / t));
};
const { test } = await loadMnist({ only: 'test', testLimit: Number(values.mnist) });
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(2)}%`;
const rate = (rows: FamilyRejection[]): [number, number] => [rows.reduce((s, r) => s + r.rejected, 0), rows.reduce((s, r) => s + r.samples, 0)];

console.log(`model ${dir} (temperature ${t.toFixed(4)}), non-digit seed ${seed}, ${perFamily} per family, MNIST test ${test.labels.length}\n`);
console.log('| shape rules | held-out rejected | train families rejected (unseen samples) | MNIST test rejected | MNIST accepted but wrong |');
console.log('|---|---|---|---|---|');
const perFamilyRows: Record<string, FamilyRejection[]> = {};
for (const shapeRules of [true, false]) {
  const options = { shapeRules };
  const held = await nonDigitRejection(calibrated, seed, HELD_OUT_FAMILIES, perFamily, options);
  // Train families: indices far past the ones a training run with this seed draws.
  const trained = await nonDigitRejection(calibrated, seed, trainFamilies, perFamily, options, 1_000_000);
  const m = await mnistOutcomes(calibrated, test.x.data, test.labels, options);
  perFamilyRows[String(shapeRules)] = [...held, ...trained];
  const [hr, hn] = rate(held);
  const [tr, tn] = rate(trained);
  console.log(`| ${shapeRules ? 'on' : 'off'} | ${pct(hr, hn)} (${hr}/${hn}) | ${pct(tr, tn)} (${tr}/${tn}) | ${pct(m.rejected, m.samples)} (${m.rejected}/${m.samples}) | ${pct(m.wrong, m.samples)} |`);
}
console.log('\n| family | held out | rejected (shape rules on) | rejected (off) | codes (on) |');
console.log('|---|---|---|---|---|');
const on = perFamilyRows['true']!, off = perFamilyRows['false']!;
on.forEach((r, i) => {
  const codes = Object.entries(r.codes).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${r.family} | ${(HELD_OUT_FAMILIES as readonly string[]).includes(r.family) ? 'yes' : 'no'} | ${pct(r.rejected, r.samples)} | ${pct(off[i]!.rejected, off[i]!.samples)} | ${codes} |`);
});

const before = await mnistOutcomes(raw, test.x.data, test.labels);
const after = await mnistOutcomes(calibrated, test.x.data, test.labels);
console.log('\n| calibration (MNIST test, through the pipeline) | ECE | uncertain answers |');
console.log('|---|---|---|');
console.log(`| before (T = 1) | ${calibrationError(before.confidence, before.correct).toFixed(4)} | ${pct(before.uncertain, before.samples)} |`);
console.log(`| after (T = ${t.toFixed(3)}) | ${calibrationError(after.confidence, after.correct).toFixed(4)} | ${pct(after.uncertain, after.samples)} |`);
model.dispose();
