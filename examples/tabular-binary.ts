/**
 * A tabular binary classifier: an imbalanced synthetic data set (1 positive in 5), a sigmoid
 * output with binaryCrossentropy, classWeight to count the rare class more, and the metrics a
 * classifier is judged by — accuracy, precision, recall, AUC — on a held-out split, then a
 * confusion matrix. Seeded: the same numbers on every run. Browser-safe (imports only the core).
 *
 *   npx tsx examples/tabular-binary.ts
 */
import { Random, Sequential, confusionMatrix, layers, losses, metrics, tensor } from 'wasmnn';

const rng = new Random(7);
const n = 1000;
const features: number[][] = [];
const labels: number[] = [];
for (let i = 0; i < n; i++) {
  const row = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
  // Positive inside a tilted ellipse: about one sample in five.
  const positive = (row[0]! + 0.5 * row[1]!) ** 2 + 2 * row[2]! ** 2 < 0.3;
  features.push(row);
  labels.push(positive ? 1 : 0);
}
const x = tensor(features);
const y = tensor(labels.map((l) => [l]));

const model = new Sequential([layers.dense({ units: 32, activation: 'relu', inputShape: [4] }), layers.dense({ units: 1, activation: 'sigmoid' })], { seed: 1 });
model.compile({ optimizer: 'adam', loss: losses.binaryCrossentropy(), metrics: ['accuracy', 'precision', 'recall', metrics.auc()] });
const positives = labels.filter((l) => l === 1).length;
// Each class weighs half of the loss in total (Keras' "balanced" weights).
const classWeight = { 0: n / (2 * (n - positives)), 1: n / (2 * positives) };
const history = await model.fit(x, y, { epochs: 40, batchSize: 32, validationSplit: 0.2, classWeight, verbose: 0 });
const last = (key: string) => history.history[key]!.at(-1)!.toFixed(3);
console.log(`validation: accuracy ${last('val_accuracy')}, precision ${last('val_precision')}, recall ${last('val_recall')}, auc ${last('val_auc')}`);

const held = x.slice(800, 1000);
const predicted = Array.from((await model.predict(held)).data, (p) => (p > 0.5 ? 1 : 0));
const matrix = confusionMatrix(labels.slice(800), predicted, 2).data;
console.log(`confusion matrix (rows true 0/1, columns predicted 0/1): [[${matrix[0]}, ${matrix[1]}], [${matrix[2]}, ${matrix[3]}]]`);
model.dispose();
