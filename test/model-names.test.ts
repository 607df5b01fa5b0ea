// Optimizer, loss, metric and activation names are string-literal unions: a typo fails to
// compile (checked by `npm run typecheck`, which includes test/), and the Keras spellings that
// compile accepts at run time type-check too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layers, oneHot, Sequential, tensor, type CompileArgs, type FitArgs, type History, type Logs } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';

function model(): Sequential {
  return new Sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })], { backend: 'js', seed: 5 });
}

// Never called: these lines exist for the type checker. An '@ts-expect-error' whose line
// compiles is itself an error, so each typo below must stay a compile-time error.
export function typosDoNotCompile(m: Sequential): void {
  // @ts-expect-error: 'adma' is not an optimizer name
  m.compile({ optimizer: 'adma', loss: 'categoricalCrossentropy' });
  // @ts-expect-error: 'categoricalCrossEntropy' (capital E) is not a loss name
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossEntropy' });
  // @ts-expect-error: 'accuracyy' is not a metric name
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['accuracyy'] });
  // @ts-expect-error: 'rellu' is not an activation name
  layers.dense({ units: 2, activation: 'rellu' });
  const ok: CompileArgs = { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['acc', 'mse'] };
  const fit: FitArgs = { epochs: 1, callbacks: { onEpochEnd: (_e: number, logs: Logs) => void logs['loss'] } };
  const history: Promise<History> = m.fit(tensor([0, 0, 0, 0], [1, 4]), tensor([1, 0, 0], [1, 3]), fit);
  void ok, history;
}

test("Keras' snake_case loss name trains exactly as its camelCase name (same fusion, same weights)", async () => {
  const rand = mulberry32(9);
  const x = tensor(randomArray(rand, 16 * 4), [16, 4]);
  const y = oneHot(Array.from({ length: 16 }, (_, i) => i % 3), 3);
  const weights: Float32Array[][] = [];
  for (const loss of ['categoricalCrossentropy', 'categorical_crossentropy'] as const) {
    const m = model();
    m.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    weights.push(m.getWeights().map((t) => t.data.slice()));
    m.dispose();
  }
  assert.equal(weights[1], weights[0]);
});

test('a name that is not one still fails at run time, naming it and the choices (for JavaScript callers)', () => {
  const m = model();
  const untyped = (args: Record<string, unknown>) => m.compile(args as unknown as CompileArgs);
  assert.throws(() => untyped({ optimizer: 'adma', loss: 'meanSquaredError' }), /unknown optimizer 'adma'; use one of sgd, adam, adamw/);
  assert.throws(() => untyped({ optimizer: 'adam', loss: 'categoricalCrossEntropy' }), /unsupported loss 'categoricalCrossEntropy'; supported: categoricalCrossentropy/);
  m.dispose();
});

test.run();
