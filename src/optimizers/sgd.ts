import { commonOptions, makeOptimizer, nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface SgdArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
  /**
   * L2 penalty added to the gradient (g + l2·p) before momentum: the coupled form. Keras'
   * weightDecay (decoupled, applied to the parameters) is the common `weightDecay` option.
   */
  l2?: number;
}

/** Keras SGD, with momentum (one slot: the velocity) and Nesterov as options. */
export function sgd(args: SgdArgs = {}): Optimizer {
  const momentum = nonNegative(args.momentum ?? 0, 'momentum', 'SGD');
  const nesterov = args.nesterov ?? false;
  const l2 = nonNegative(args.l2 ?? 0, 'l2', 'SGD');
  return makeOptimizer(
    {
      className: 'SGD',
      defaultLearningRate: 0.01,
      slotNames: momentum > 0 ? ['momentum'] : [],
      // Without momentum the kernel never reads its velocity argument.
      update: (b, r, lr) => b.sgdUpdate(r.params, r.grads, r.slots[0] ?? r.params, r.size, lr, momentum, nesterov, l2),
      tfjs() {
        const coupled = l2 ? { l2 } : {};
        return momentum > 0 ? { class_name: 'Momentum', config: { momentum, useNesterov: nesterov, ...coupled } } : { class_name: 'SGD', config: coupled };
      },
    },
    args,
  );
}

registerTfjsOptimizer('SGD', (config) => sgd({ ...commonOptions(config), ...numericOptions(config, ['l2']) }));
registerTfjsOptimizer('Momentum', (config) =>
  sgd({ ...commonOptions(config), ...numericOptions(config, ['momentum', 'l2']), nesterov: config['useNesterov'] === true }),
);
