import type { Loss } from '../losses.js';
import { Tensor } from '../tensor.js';

/**
 * fit's sampleWeight and classWeight as one loss weight per sample (their product when both are
 * given), or null when neither is. Keras' semantics: classWeight maps a class index to a weight
 * and a sample's class is its label (sparse), its one-hot target's argmax, or its rounded target
 * for a one-unit output; every class in y needs a weight, and a key that is not a class of the
 * output is an error, as is a sampleWeight whose length is not the number of samples.
 */
export function sampleWeights(
  args: { sampleWeight?: Tensor | ArrayLike<number>; classWeight?: Readonly<Record<number, number>> },
  y: Tensor,
  loss: Loss,
  classes: number,
): Float32Array | null {
  const { sampleWeight, classWeight } = args;
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const n = y.shape[0]!;
  const weights = new Float32Array(n).fill(1);
  if (sampleWeight !== undefined) {
    const values = sampleWeight instanceof Tensor ? sampleWeight.data : sampleWeight;
    const shape = sampleWeight instanceof Tensor ? sampleWeight.shape : [values.length];
    if (values.length !== n || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new Error(`fit: sampleWeight must hold one weight per sample, shape [${n}] or [${n}, 1], got [${shape.join(', ')}]`);
    }
    for (let i = 0; i < n; i++) weights[i] = checkWeight(values[i]!, `sampleWeight[${i}]`);
  }
  if (classWeight !== undefined) {
    const table = classWeightTable(classWeight, classes === 1 ? 2 : classes);
    for (let i = 0; i < n; i++) {
      const k = classOf(y, i, loss, classes);
      const w = table[k];
      if (w === undefined) throw new Error(`fit: classWeight has no weight for class ${k} (sample ${i}); give every class in y a weight`);
      weights[i]! *= w;
    }
  }
  return weights;
}

function checkWeight(w: number, what: string): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`fit: ${what} must be a finite number ≥ 0, got ${String(w)}`);
  return w;
}

/** classWeight's entries by class index; keys must be class indices of the output. */
function classWeightTable(classWeight: Readonly<Record<number, number>>, classes: number): (number | undefined)[] {
  if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) {
    throw new Error('fit: classWeight must be an object mapping class index → weight, e.g. { 0: 1, 1: 5 }');
  }
  const table: (number | undefined)[] = new Array(classes).fill(undefined);
  for (const [key, w] of Object.entries(classWeight)) {
    const k = Number(key);
    if (!Number.isInteger(k) || k < 0 || k >= classes || String(k) !== key) {
      throw new Error(`fit: classWeight key '${key}' is not a class index of this output (0 to ${classes - 1})`);
    }
    table[k] = checkWeight(w, `classWeight[${key}]`);
  }
  return table;
}

function classOf(y: Tensor, i: number, loss: Loss, classes: number): number {
  const d = y.data;
  if (loss.sparseLabels) return d[i]!;
  if (classes === 1) return Math.round(d[i]!);
  let best = 0;
  for (let c = 1; c < classes; c++) if (d[i * classes + c]! > d[i * classes + best]!) best = c;
  return best;
}
