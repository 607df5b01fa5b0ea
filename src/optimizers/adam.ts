import { nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer } from './optimizer.js';

export interface AdamArgs {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's two slots (m and v) and its bias-corrected step; weightDecay > 0 makes it AdamW. */
function adamFamily(className: string, args: AdamArgs, weightDecay: number): Optimizer {
  const beta1 = nonNegative(args.beta1 ?? 0.9, 'beta1', className);
  const beta2 = nonNegative(args.beta2 ?? 0.999, 'beta2', className);
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', className);
  if (beta1 >= 1 || beta2 >= 1) throw new Error(`${className}: beta1 and beta2 must be < 1`);
  return {
    className,
    learningRate: nonNegative(args.learningRate ?? 0.001, 'learningRate', className),
    slotNames: ['m', 'v'],
    iterations: 0,
    step(b, runs) {
      const t = ++this.iterations;
      // Bias correction folded into the step size, as Keras does.
      const alpha = (this.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      for (const r of runs) b.adamUpdate(r.params, r.grads, r.slots[0]!, r.slots[1]!, r.size, this.learningRate, alpha, beta1, beta2, epsilon, weightDecay);
    },
    toTfjs() {
      return weightDecay ? null : { class_name: 'Adam', config: { learningRate: this.learningRate, beta1, beta2, epsilon } };
    },
  };
}

export function adam(args: AdamArgs = {}): Optimizer {
  return adamFamily('Adam', args, 0);
}

/** Adam with decoupled weight decay (Keras default weightDecay 0.004). */
export function adamw(args: AdamArgs & { weightDecay?: number } = {}): Optimizer {
  return adamFamily('AdamW', args, nonNegative(args.weightDecay ?? 0.004, 'weightDecay', 'AdamW'));
}

registerTfjsOptimizer('Adam', (config) => adam(numericOptions(config, ['learningRate', 'beta1', 'beta2', 'epsilon'])));
