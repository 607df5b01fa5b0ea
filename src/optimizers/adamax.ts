import { commonOptions, makeOptimizer, nonNegative, numericOptions, registerTfjsOptimizer, type Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras / TF.js Adamax: Adam with the infinity norm; slots m and v (v holds the max). */
export function adamax(args: AdamaxArgs = {}): Optimizer {
  const beta1 = nonNegative(args.beta1 ?? 0.9, 'beta1', 'Adamax');
  const beta2 = nonNegative(args.beta2 ?? 0.999, 'beta2', 'Adamax');
  const epsilon = nonNegative(args.epsilon ?? 1e-7, 'epsilon', 'Adamax');
  if (beta1 >= 1 || beta2 >= 1) throw new Error('Adamax: beta1 and beta2 must be < 1');
  return makeOptimizer(
    {
      className: 'Adamax',
      defaultLearningRate: 0.001,
      // TF.js names the infinity-norm slot 'v'.
      slotNames: ['m', 'v'],
      update: (b, r, lr, t) => b.adamaxUpdate(r.params, r.grads, r.slots[0]!, r.slots[1]!, r.size, lr / (1 - beta1 ** t), beta1, beta2, epsilon),
      tfjs: () => ({ class_name: 'Adamax', config: { beta1, beta2, epsilon, decay: 0 } }),
    },
    args,
  );
}

registerTfjsOptimizer('Adamax', (config) => {
  if (typeof config['decay'] === 'number' && config['decay'] !== 0) throw new Error(`Adamax: TF.js' 'decay' ${config['decay']} is not supported; use a learning-rate schedule`);
  return adamax({ ...commonOptions(config), ...numericOptions(config, ['beta1', 'beta2', 'epsilon']) });
});
