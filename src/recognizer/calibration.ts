/**
 * Temperature scaling (Guo et al. 2017): one scalar T that divides a classifier's logits so
 * its top probability matches how often it is right, fitted by minimising the negative
 * log-likelihood on held-out data. A softmax model's log-probabilities are its logits up to a
 * per-row constant, which softmax ignores, so T applies to probabilities as p^(1/T), renormalised.
 * Browser-safe: no Node APIs.
 */

/** Rows of `k` probabilities with each row's log divided by `t` and renormalised (a new array). */
export function applyTemperature(probs: ArrayLike<number>, k: number, t: number): Float64Array {
  const out = new Float64Array(probs.length);
  for (let r = 0; r < probs.length; r += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logOf(probs[r + c]!) / t);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[r + c] = Math.exp(logOf(probs[r + c]!) / t - max);
    for (let c = 0; c < k; c++) out[r + c]! /= sum;
  }
  return out;
}

/** float32 softmax underflows to exactly 0; a log of -104 (below f32's smallest normal) keeps the order. */
function logOf(p: number): number {
  return p > 0 ? Math.log(p) : -104;
}

/** Mean negative log-likelihood of the labels under rows of `k` probabilities at temperature `t`. */
export function negativeLogLikelihood(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number, t = 1): number {
  const scaled = t === 1 ? Float64Array.from(probs) : applyTemperature(probs, k, t);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(scaled[i * k + labels[i]!]!, 1e-300));
  return sum / labels.length;
}

/**
 * The temperature in [0.05, 20] with the lowest negative log-likelihood (golden-section search on
 * log T; the NLL of temperature scaling is unimodal in T).
 */
export function fitTemperature(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length === 0 || probs.length !== labels.length * k) {
    throw new Error(`fitTemperature: ${probs.length} probabilities for ${labels.length} labels of ${k} classes`);
  }
  const f = (logT: number): number => negativeLogLikelihood(probs, labels, k, Math.exp(logT));
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.05), b = Math.log(20);
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d; d = c; fd = fc;
      c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd;
      d = a + g * (b - a); fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/** Each row's top probability and whether its class is the label. */
export function topClass(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): { confidence: Float64Array; correct: Uint8Array } {
  const confidence = new Float64Array(labels.length);
  const correct = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    confidence[i] = probs[i * k + best]!;
    correct[i] = best === labels[i] ? 1 : 0;
  }
  return { confidence, correct };
}

/** Expected calibration error of rows of `k` probabilities against their labels (see calibrationError). */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number, bins = 15): number {
  const { confidence, correct } = topClass(probs, labels, k);
  return calibrationError(confidence, correct, bins);
}

/**
 * Expected calibration error of (confidence, correct) pairs in `bins` equal-width bins: the
 * mean over pairs of |accuracy − mean confidence| in the pair's bin. Pairs with confidence 0
 * (inputs rejected before a classifier saw them) are left out.
 */
export function calibrationError(confidence: ArrayLike<number>, correct: ArrayLike<number>, bins = 15): number {
  const count = new Float64Array(bins), conf = new Float64Array(bins), hits = new Float64Array(bins);
  let total = 0;
  for (let i = 0; i < confidence.length; i++) {
    const p = confidence[i]!;
    if (p <= 0) continue;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    conf[b]! += p;
    hits[b]! += correct[i]!;
    total++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) ece += Math.abs(hits[b]! - conf[b]!);
  return ece / Math.max(1, total);
}
