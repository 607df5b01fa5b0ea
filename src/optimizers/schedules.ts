// Learning-rate schedules: functions of the optimizer's step count (0 for the first step), as
// Keras' LearningRateSchedule. Pass one as `learningRate` to any optimizer; the optimizer calls it
// once per step, and a schedule computes its value from the step alone (nothing is allocated).
import type { LearningRateSchedule } from './optimizer.js';

function positive(v: number, what: string, schedule: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${schedule}: ${what} must be a finite number > 0, got ${v}`);
  return v;
}

function steps(v: number, what: string, schedule: string): number {
  if (!(Number.isInteger(v) && v >= 0)) throw new Error(`${schedule}: ${what} must be a whole number of steps ≥ 0, got ${v}`);
  return v;
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of decaySteps (a staircase) instead of continuously. */
  staircase?: boolean;
}

/** Keras ExponentialDecay: initialLearningRate · decayRate^(step / decaySteps). */
export function exponentialDecay(args: ExponentialDecayArgs): LearningRateSchedule {
  const lr = positive(args.initialLearningRate, 'initialLearningRate', 'exponentialDecay');
  const decaySteps = positive(args.decaySteps, 'decaySteps', 'exponentialDecay');
  const rate = positive(args.decayRate, 'decayRate', 'exponentialDecay');
  const staircase = args.staircase ?? false;
  return (step) => lr * rate ** (staircase ? Math.floor(step / decaySteps) : step / decaySteps);
}

export interface PiecewiseConstantArgs {
  /** Increasing step numbers where the rate changes. */
  boundaries: readonly number[];
  /** One more rate than boundaries: values[i] while step ≤ boundaries[i] (and above the previous one). */
  values: readonly number[];
}

/** Keras PiecewiseConstantDecay. */
export function piecewiseConstant(args: PiecewiseConstantArgs): LearningRateSchedule {
  const { boundaries, values } = args;
  if (values.length !== boundaries.length + 1) throw new Error(`piecewiseConstant: needs one more value than boundaries, got ${values.length} values for ${boundaries.length} boundaries`);
  boundaries.forEach((b, i) => {
    steps(b, `boundaries[${i}]`, 'piecewiseConstant');
    if (i > 0 && b <= boundaries[i - 1]!) throw new Error(`piecewiseConstant: boundaries must increase, got ${boundaries[i - 1]} then ${b}`);
  });
  values.forEach((v, i) => positive(v, `values[${i}]`, 'piecewiseConstant'));
  const bounds = [...boundaries];
  const rates = [...values];
  return (step) => {
    let i = 0;
    while (i < bounds.length && step > bounds[i]!) i++;
    return rates[i]!;
  };
}

export interface CosineDecayArgs {
  /** The rate warm-up starts from (or the peak, without warm-up). */
  initialLearningRate: number;
  /** Steps of the cosine fall after the warm-up. */
  decaySteps: number;
  /** The final rate as a fraction of the peak (default 0). */
  alpha?: number;
  /** Steps of linear warm-up from initialLearningRate to warmupTarget (default 0). */
  warmupSteps?: number;
  /** The peak reached after warm-up (default: initialLearningRate, no warm-up). */
  warmupTarget?: number;
}

/** Keras CosineDecay, with its linear warm-up (warmupTarget, warmupSteps). */
export function cosineDecay(args: CosineDecayArgs): LearningRateSchedule {
  const initial = positive(args.initialLearningRate, 'initialLearningRate', 'cosineDecay');
  const decaySteps = positive(args.decaySteps, 'decaySteps', 'cosineDecay');
  const alpha = args.alpha ?? 0;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`cosineDecay: alpha must be in [0, 1], got ${alpha}`);
  const warmupSteps = steps(args.warmupSteps ?? 0, 'warmupSteps', 'cosineDecay');
  const peak = args.warmupTarget === undefined ? initial : positive(args.warmupTarget, 'warmupTarget', 'cosineDecay');
  return (step) => {
    if (step < warmupSteps) return initial + ((peak - initial) * step) / warmupSteps;
    const done = Math.min(Math.max((step - warmupSteps) / decaySteps, 0), 1);
    return peak * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * done)) + alpha);
  };
}

export interface LinearWarmupDecayArgs {
  /** The peak rate. */
  learningRate: number;
  /** All steps of the training run. */
  totalSteps: number;
  /** Steps of the linear rise (default: 10% of totalSteps, at least 1). */
  warmupSteps?: number;
}

/**
 * The default training recipe's schedule: a linear rise to the peak over warmupSteps (the first
 * step already trains, at peak/warmupSteps), then a linear fall that reaches 0 after the last step.
 */
export function linearWarmupDecay(args: LinearWarmupDecayArgs): LearningRateSchedule {
  const peak = positive(args.learningRate, 'learningRate', 'linearWarmupDecay');
  const total = positive(steps(args.totalSteps, 'totalSteps', 'linearWarmupDecay'), 'totalSteps', 'linearWarmupDecay');
  const warmup = args.warmupSteps === undefined ? Math.max(1, Math.round(0.1 * total)) : positive(steps(args.warmupSteps, 'warmupSteps', 'linearWarmupDecay'), 'warmupSteps', 'linearWarmupDecay');
  if (warmup > total) throw new Error(`linearWarmupDecay: warmupSteps ${warmup} exceeds totalSteps ${total}`);
  return (step) => (step < warmup ? (peak * (step + 1)) / warmup : (peak * Math.max(total - step, 0)) / (total - warmup + 1));
}

export interface OneCycleArgs {
  maxLearningRate: number;
  totalSteps: number;
  /** Share of the steps spent rising (default 0.3). */
  pctStart?: number;
  /** The starting rate is maxLearningRate / divFactor (default 25). */
  divFactor?: number;
  /** The final rate is the starting rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
}

/** One-cycle (Smith; PyTorch OneCycleLR with cosine annealing): a cosine rise to the peak, then a cosine fall far below the start. */
export function oneCycle(args: OneCycleArgs): LearningRateSchedule {
  const max = positive(args.maxLearningRate, 'maxLearningRate', 'oneCycle');
  const total = positive(steps(args.totalSteps, 'totalSteps', 'oneCycle'), 'totalSteps', 'oneCycle');
  const pct = args.pctStart ?? 0.3;
  if (!(pct > 0 && pct < 1)) throw new Error(`oneCycle: pctStart must be in (0, 1), got ${pct}`);
  const start = max / positive(args.divFactor ?? 25, 'divFactor', 'oneCycle');
  const end = start / positive(args.finalDivFactor ?? 1e4, 'finalDivFactor', 'oneCycle');
  const peakStep = pct * total - 1;
  const anneal = (from: number, to: number, f: number): number => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * Math.min(Math.max(f, 0), 1)));
  return (step) => (step <= peakStep ? anneal(start, max, peakStep > 0 ? step / peakStep : 1) : anneal(max, end, (step - peakStep) / (total - 1 - peakStep)));
}
