/**
 * The README's quick start: arrays → tensor → fit → predict → argMax. Browser-safe (imports only
 * the core). Three clusters of 2-D points, one class each.
 *
 *   npx tsx examples/quickstart.ts
 */
import { Sequential, layers, tensor } from 'wasmnn';

const x = tensor([[0, 0], [0.2, 0.1], [1, 1], [0.9, 1.1], [0, 1], [0.1, 0.9]]);
const y = tensor([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]);
const model = new Sequential([layers.dense({ units: 16, activation: 'relu', inputShape: [2] }), layers.dense({ units: 3, activation: 'softmax' })], { seed: 1 });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(x, y, { epochs: 300, batchSize: 6, verbose: 0 });
const predicted = (await model.predict(tensor([[0.1, 0.1], [1, 0.9], [0, 0.8]]))).argMax();
console.log(`classes ${[...predicted].join(' ')}, training accuracy ${history.history['accuracy']!.at(-1)}`);
