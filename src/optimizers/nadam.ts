import { makeOptimizer, nonNegative, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras' momentum-schedule decay (Dozat's 0.96, with the 0.5 factor Keras uses). */
const MOMENTUM_DECAY = 0.96;

/**
 * Keras Nadam (Adam with Nesterov momentum and Keras' momentum schedule u(t) = β1·(1 − ½·0.96^t)).
 * TF.js has no Nadam, so a model compiled with it is saved without an optimizer entry.
 */
export function nadam(args: NadamArgs = {}): Optimizer {
  const beta1 = nonNegative(args.beta1 ?? 0.9, 'beta1', 'Nadam');
  const beta2 = nonNegative(args.beta2 ?? 0.999, 'beta2', 'Nadam');
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', 'Nadam');
  if (beta1 >= 1 || beta2 >= 1) throw new Error('Nadam: beta1 and beta2 must be < 1');
  const u = (t: number): number => beta1 * (1 - 0.5 * MOMENTUM_DECAY ** t);
  // Π u(1..t), kept for the last step so each step costs one multiplication (recomputed when
  // the step count jumps, as after restoring a checkpoint).
  let productStep = 0;
  let product = 1;
  const uProduct = (t: number): number => {
    if (t !== productStep && t !== productStep + 1) {
      productStep = 0;
      product = 1;
    }
    while (productStep < t) product *= u(++productStep);
    return product;
  };
  return makeOptimizer(
    {
      className: 'Nadam',
      defaultLearningRate: 0.001,
      slotNames: ['m', 'v'],
      update(b, r, lr, t) {
        const productT = uProduct(t);
        const mCoef = u(t + 1) / (1 - productT * u(t + 1));
        const gCoef = (1 - u(t)) / (1 - productT);
        b.nadamUpdate(r.params, r.grads, r.slots[0]!, r.slots[1]!, r.size, lr, beta1, beta2, epsilon, mCoef, gCoef, 1 / (1 - beta2 ** t));
      },
      tfjs: () => null,
    },
    args,
  );
}
