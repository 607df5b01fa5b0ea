import { checkOptions, type Metric } from './metric.js';

/**
 * Keras' AUC (ROC curve, summation 'interpolation'): numThresholds thresholds −ε, 1/(n−1), …,
 * (n−2)/(n−1), 1+ε (float32, ε = 1e-7); at each, the true and false positive rates of "output >
 * threshold" over every output value; the area by the trapezoidal rule over those points.
 */
export function auc(options: { numThresholds?: number; name?: string } = {}): Metric {
  checkOptions('auc', options, ['numThresholds', 'name']);
  const n = options.numThresholds ?? 200;
  if (!Number.isInteger(n) || n < 2) throw new Error(`metrics.auc: numThresholds must be an integer > 1, got ${n}`);
  const thresholds = new Float32Array(n);
  thresholds[0] = -1e-7;
  for (let i = 1; i < n - 1; i++) thresholds[i] = i / (n - 1);
  thresholds[n - 1] = 1 + 1e-7;
  const key = options.name ?? 'auc';
  const plain = n === 200 && options.name === undefined;
  return {
    key,
    tfjsName: null,
    config: plain ? key : { class_name: 'AUC', config: { name: key, num_thresholds: n } },
    create() {
      // Per bucket b (the number of thresholds below a value): how many positive / negative
      // targets had their output there. Counts at threshold i are the sums over buckets > i.
      const positives = new Float64Array(n + 1);
      const negatives = new Float64Array(n + 1);
      return {
        update(f, output, target, rows, cols) {
          for (let i = 0; i < rows * cols; i++) {
            const v = f[output + i]!;
            if (Number.isNaN(v)) continue;
            const bucket = thresholdsBelow(thresholds, v);
            if (f[target + i]! !== 0) positives[bucket]!++;
            else negatives[bucket]!++;
          }
        },
        result: () => rocArea(positives, negatives, n),
      };
    },
  };
}

/** How many of the ascending thresholds are < v (binary search). */
function thresholdsBelow(thresholds: Float32Array, v: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rocArea(positives: Float64Array, negatives: Float64Array, n: number): number {
  let totalP = 0;
  let totalN = 0;
  for (let b = 0; b <= n; b++) {
    totalP += positives[b]!;
    totalN += negatives[b]!;
  }
  // Rates at threshold i count the buckets above i; walk i downwards from the top threshold.
  let tp = positives[n]!;
  let fp = negatives[n]!;
  let area = 0;
  let prevTpr = totalP === 0 ? 0 : tp / totalP;
  let prevFpr = totalN === 0 ? 0 : fp / totalN;
  for (let i = n - 2; i >= 0; i--) {
    tp += positives[i + 1]!;
    fp += negatives[i + 1]!;
    const tpr = totalP === 0 ? 0 : tp / totalP;
    const fpr = totalN === 0 ? 0 : fp / totalN;
    area += (fpr - prevFpr) * (tpr + prevTpr) * 0.5;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return area;
}
