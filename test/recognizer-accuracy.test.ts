/**
 * The pretrained model behind the image pipeline, on the procedural fixtures (not MNIST):
 * at least 95% of single digits read right, every multi-digit string exact, and every
 * non-digit rejected.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../src/index.node.js';
import { defaultModelDir } from '../src/pretrained.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { evaluateFixtures, type EvaluationReport, type FixtureOutcome } from './fixtures/evaluate.js';
import { cachedFixtures } from './fixtures/generate.js';

let report: EvaluationReport;

const describe = (o: FixtureOutcome) => `${o.name}: expected '${o.expected}', got '${o.got}'${o.reason ? ` (${o.reason})` : ''}`;
const wrong = (kind: FixtureOutcome['kind']) => report.outcomes.filter((o) => o.kind === kind && !o.correct);

test.before(async () => {
  const model = await loadModel(defaultModelDir());
  report = await evaluateFixtures(cachedFixtures(1), modelClassifier(model));
  model.dispose();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`  fixtures: digits ${pct(report.accuracy.digit)}, numbers ${pct(report.accuracy.number)}, non-digits ${pct(report.accuracy.none)} (${report.correct}/${report.total})`);
  for (const o of report.outcomes.filter((x) => !x.correct)) console.log(`    miss ${describe(o)}`);
});

test('single digits: at least 95% read correctly', () => {
  assert.ok(report.accuracy.digit >= 0.95, `digit accuracy ${report.accuracy.digit}; misses:\n${wrong('digit').map(describe).join('\n')}`);
});

test('multi-digit numbers: every string exactly right', () => {
  assert.equal(wrong('number').map(describe), []);
});

test('non-digits: isDigit false for all of them', () => {
  const accepted = report.outcomes.filter((o) => o.kind === 'none' && o.isDigit);
  assert.equal(accepted.map(describe), []);
});

test.run();
