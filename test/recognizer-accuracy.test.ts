/**
 * The pretrained model behind the image pipeline, on the procedural fixtures (not MNIST):
 * every single digit read right, every multi-digit string exact, and every non-digit rejected;
 * plus the calibration error on the digit fixtures before and after temperature scaling.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../src/index.node.js';
import { defaultModelDir } from '../src/pretrained.js';
import { applyTemperature, calibrationError } from '../src/recognizer/calibration.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { evaluateFixtures, type EvaluationReport, type FixtureOutcome } from './fixtures/evaluate.js';
import { cachedFixtures } from './fixtures/generate.js';

let report: EvaluationReport;

const describe = (o: FixtureOutcome) => `${o.name}: expected '${o.expected}', got '${o.got}'${o.reason ? ` (${o.reason})` : ''}`;
const wrong = (kind: FixtureOutcome['kind']) => report.outcomes.filter((o) => o.kind === kind && !o.correct);

let uncalibrated: EvaluationReport;
/** The temperature baked into the shipped model's last layer (src/recognizer/train-open-set.ts). */
const temperature = (JSON.parse(readFileSync(join(defaultModelDir(), 'training.json'), 'utf8')) as { temperature: number }).temperature;

test.before(async () => {
  const model = await loadModel(defaultModelDir());
  const classify = modelClassifier(model);
  report = await evaluateFixtures(cachedFixtures(1), classify);
  // The same model with the temperature undone (p^T renormalised), for the calibration error before scaling.
  uncalibrated = await evaluateFixtures(
    cachedFixtures(1).filter((f) => f.kind === 'digit'),
    async (x, n) => {
      const p = await classify(x, n);
      return Float32Array.from(applyTemperature(p, p.length / n, 1 / temperature));
    },
  );
  model.dispose();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`  fixtures: digits ${pct(report.accuracy.digit)}, numbers ${pct(report.accuracy.number)}, non-digits ${pct(report.accuracy.none)} (${report.correct}/${report.total})`);
  for (const o of report.outcomes.filter((x) => !x.correct)) console.log(`    miss ${describe(o)}`);
});

const ece = (r: EvaluationReport): number => {
  const digits = r.outcomes.filter((o) => o.kind === 'digit');
  return calibrationError(digits.map((o) => o.confidence), digits.map((o) => (o.topIsLabel ? 1 : 0)));
};

test('calibration error on the 60 digit fixtures before and after temperature scaling (measured, reported)', () => {
  // A measurement for the report (issue 14 asks for ECE before/after on the fixtures), not a target:
  // the temperature is fitted on MNIST-like validation data, and 60 fixtures are few for 15 bins.
  const before = ece(uncalibrated), after = ece(report);
  console.log(`  fixture ECE: ${before.toFixed(4)} before temperature scaling (T = 1), ${after.toFixed(4)} after (T = ${temperature.toFixed(3)})`);
  assert.ok(before >= 0 && before <= 1 && after >= 0 && after <= 1);
  assert.is.not(before, after, 'the baked-in temperature changes the confidences');
});

test('single digits: every one read correctly (issue 14: the fixtures stay at 100%)', () => {
  assert.equal(wrong('digit').map(describe), []);
});

test('multi-digit numbers: every string exactly right', () => {
  assert.equal(wrong('number').map(describe), []);
});

test('non-digits: isDigit false for all of them', () => {
  const accepted = report.outcomes.filter((o) => o.kind === 'none' && o.isDigit);
  assert.equal(accepted.map(describe), []);
});

test.run();
