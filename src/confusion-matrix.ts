import { Tensor } from './tensor.js';

/**
 * Counts of (true class, predicted class) pairs: a [numClasses, numClasses] tensor whose row i,
 * column j holds the samples of class i predicted as j (as tf.math.confusionMatrix). Each of
 * yTrue and yPred is class indices ([n] or [n, 1], a Tensor or an array) or per-class scores
 * ([n, numClasses]: one-hot targets or a model's outputs), read as their argmax.
 */
export function confusionMatrix(yTrue: Tensor | ArrayLike<number>, yPred: Tensor | ArrayLike<number>, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  const truth = classIndices(yTrue, numClasses, 'yTrue');
  const predicted = classIndices(yPred, numClasses, 'yPred');
  if (truth.length !== predicted.length) throw new Error(`confusionMatrix: yTrue has ${truth.length} samples but yPred has ${predicted.length}`);
  const counts = new Float32Array(numClasses * numClasses);
  for (let i = 0; i < truth.length; i++) counts[truth[i]! * numClasses + predicted[i]!]!++;
  return new Tensor(counts, [numClasses, numClasses]);
}

function classIndices(y: Tensor | ArrayLike<number>, numClasses: number, what: string): Int32Array {
  const shape = y instanceof Tensor ? y.shape : [y.length];
  const data = y instanceof Tensor ? y.data : y;
  const n = shape[0] ?? 0;
  if (shape.length === 2 && shape[1] === numClasses && numClasses > 1) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < numClasses; c++) if (data[i * numClasses + c]! > data[i * numClasses + best]!) best = c;
      out[i] = best;
    }
    return out;
  }
  if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new Error(`confusionMatrix: ${what} must be class indices [n] or scores [n, ${numClasses}], got shape [${shape.join(', ')}]`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = data[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= numClasses) throw new Error(`confusionMatrix: ${what}[${i}] is ${k}, not a class index in [0, ${numClasses})`);
    out[i] = k;
  }
  return out;
}
