import { commonOptions, makeOptimizer, nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdagradArgs extends OptimizerArgs {
  /** The accumulator's starting value (Keras and TF.js: 0.1). */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Keras / TF.js Adagrad: one slot, the running sum of squared gradients. */
export function adagrad(args: AdagradArgs = {}): Optimizer {
  const initial = nonNegative(args.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', 'Adagrad');
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', 'Adagrad');
  return makeOptimizer(
    {
      className: 'Adagrad',
      defaultLearningRate: 0.001,
      slotNames: ['accumulator'],
      update(b, r, lr, t) {
        // The arena zeroes slots when it places them; the first step (which a restored state
        // never repeats) sets the accumulator's starting value.
        if (t === 1) b.fill(r.slots[0]!, r.size, initial);
        b.adagradUpdate(r.params, r.grads, r.slots[0]!, r.size, lr, epsilon);
      },
      tfjs: () => ({ class_name: 'Adagrad', config: { initialAccumulatorValue: initial, epsilon } }),
    },
    args,
  );
}

registerTfjsOptimizer('Adagrad', (config) => adagrad({ ...commonOptions(config), ...numericOptions(config, ['initialAccumulatorValue', 'epsilon']) }));
