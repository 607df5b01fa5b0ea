import { commonOptions, makeOptimizer, nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface RmspropArgs extends OptimizerArgs {
  /** Decay of the mean square (TF.js calls it `decay`). Default 0.9. */
  rho?: number;
  momentum?: number;
  epsilon?: number;
  /** Normalize by the gradient's variance instead of its mean square (one more slot, `mg`). */
  centered?: boolean;
}

/**
 * Keras / TF.js RMSprop. The `momentum` slot is kept even at momentum 0 (it then holds the last
 * step), as TF.js keeps it: optimizer state saved by either side has the same arrays.
 */
export function rmsprop(args: RmspropArgs = {}): Optimizer {
  const rho = nonNegative(args.rho ?? 0.9, 'rho', 'RMSprop');
  const momentum = nonNegative(args.momentum ?? 0, 'momentum', 'RMSprop');
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', 'RMSprop');
  const centered = args.centered ?? false;
  if (rho >= 1) throw new Error(`RMSprop: rho must be < 1, got ${rho}`);
  return makeOptimizer(
    {
      className: 'RMSprop',
      defaultLearningRate: 0.001,
      slotNames: centered ? ['rms', 'momentum', 'mg'] : ['rms', 'momentum'],
      // Not centered, the kernel never reads its mg argument.
      update: (b, r, lr) => b.rmspropUpdate(r.params, r.grads, r.slots[0]!, r.slots[1]!, r.slots[2] ?? r.params, r.size, lr, rho, momentum, epsilon, centered),
      tfjs: () => ({ class_name: 'RMSProp', config: { decay: rho, momentum, epsilon, centered } }),
    },
    args,
  );
}

registerTfjsOptimizer('RMSProp', (config) =>
  rmsprop({ ...commonOptions(config), ...numericOptions(config, ['momentum', 'epsilon']), ...(typeof config['decay'] === 'number' ? { rho: config['decay'] } : {}), centered: config['centered'] === true }),
);
