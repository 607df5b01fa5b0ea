import { nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer } from './optimizer.js';

export interface SgdArgs {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** Keras SGD, with momentum (one slot: the velocity) and Nesterov as options. */
export function sgd(args: SgdArgs = {}): Optimizer {
  const momentum = nonNegative(args.momentum ?? 0, 'momentum', 'SGD');
  const nesterov = args.nesterov ?? false;
  const weightDecay = nonNegative(args.weightDecay ?? 0, 'weightDecay', 'SGD');
  return {
    className: 'SGD',
    learningRate: nonNegative(args.learningRate ?? 0.01, 'learningRate', 'SGD'),
    slotNames: momentum > 0 ? ['momentum'] : [],
    iterations: 0,
    step(b, runs) {
      // Without momentum the kernel never reads its velocity argument.
      for (const r of runs) b.sgdUpdate(r.params, r.grads, r.slots[0] ?? r.params, r.size, this.learningRate, momentum, nesterov, weightDecay);
      this.iterations++;
    },
    toTfjs() {
      if (weightDecay) return null;
      return momentum > 0
        ? { class_name: 'Momentum', config: { learningRate: this.learningRate, momentum, useNesterov: nesterov } }
        : { class_name: 'SGD', config: { learningRate: this.learningRate } };
    },
  };
}

registerTfjsOptimizer('SGD', (config) => sgd(numericOptions(config, ['learningRate'])));
registerTfjsOptimizer('Momentum', (config) =>
  sgd({ ...numericOptions(config, ['learningRate', 'momentum']), nesterov: config['useNesterov'] === true }),
);
