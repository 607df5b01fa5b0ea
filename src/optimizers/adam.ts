import { commonOptions, makeOptimizer, nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's two slots (m and v) and its bias-corrected step; weight decay is fused into its kernel. */
function adamFamily(className: 'Adam' | 'AdamW', args: AdamArgs): Optimizer {
  const beta1 = nonNegative(args.beta1 ?? 0.9, 'beta1', className);
  const beta2 = nonNegative(args.beta2 ?? 0.999, 'beta2', className);
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', className);
  if (beta1 >= 1 || beta2 >= 1) throw new Error(`${className}: beta1 and beta2 must be < 1`);
  return makeOptimizer(
    {
      className,
      defaultLearningRate: 0.001,
      slotNames: ['m', 'v'],
      fusesWeightDecay: true,
      update(b, r, lr, t, weightDecay) {
        // Bias correction folded into the step size, as Keras does.
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        b.adamUpdate(r.params, r.grads, r.slots[0]!, r.slots[1]!, r.size, lr, alpha, beta1, beta2, epsilon, weightDecay);
      },
      // TF.js has no AdamW: such a model is saved without an optimizer entry.
      tfjs: () => (className === 'AdamW' ? null : { class_name: 'Adam', config: { beta1, beta2, epsilon } }),
    },
    args,
  );
}

export function adam(args: AdamArgs = {}): Optimizer {
  return adamFamily('Adam', args);
}

/** Adam with decoupled weight decay (Keras default weightDecay 0.004). */
export function adamw(args: AdamArgs = {}): Optimizer {
  return adamFamily('AdamW', { ...args, weightDecay: args.weightDecay ?? 0.004 });
}

registerTfjsOptimizer('Adam', (config) => adam({ ...commonOptions(config), ...numericOptions(config, ['beta1', 'beta2', 'epsilon']) }));
