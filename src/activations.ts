import type { Backend } from './kernels/backend.js';
import { Act, type Ptr } from './kernels/kernels.js';

/**
 * Activation names as TF.js 4.22 knows them (`gelu` is the exact x·Φ(x); `gelu_new` is the tanh
 * approximation, Keras' `gelu(approximate=True)`; `hardSigmoid` is TF.js' and Keras 2's
 * clip(0.2·x + 0.5, 0, 1), which TF.js saves as `hard_sigmoid`). `silu` is another name for
 * `swish`, saved as `swish`. Two cannot go to TF.js 4.22: it has no `exponential` (Keras has),
 * and it reads `gelu_new` as `geluNew`, which it does not know (it cannot reload its own files
 * with it either); wasmnn reads both.
 */
export type ActivationName =
  | 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax'
  | 'elu' | 'selu' | 'softplus' | 'softsign' | 'hardSigmoid' | 'relu6' | 'exponential' | 'gelu' | 'gelu_new' | 'swish' | 'silu' | 'mish';
export const activationNames: readonly ActivationName[] = [
  'linear', 'relu', 'sigmoid', 'tanh', 'softmax',
  'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'relu6', 'exponential', 'gelu', 'gelu_new', 'swish', 'silu', 'mish',
];

/** Other names for the same function, stored and saved under the TF.js one. */
const ALIASES: Readonly<Record<string, ActivationName>> = { silu: 'swish', hard_sigmoid: 'hardSigmoid' };

/** The activation a name stands for, as TF.js names it ('linear' when none is given). */
export function checkActivation(name: unknown, where: string): ActivationName {
  if (name === undefined || name === null) return 'linear';
  if (typeof name === 'string' && Object.hasOwn(ALIASES, name)) return ALIASES[name]!;
  if (typeof name === 'string' && (activationNames as readonly string[]).includes(name)) return name as ActivationName;
  throw new Error(`${where}: unsupported activation '${String(name)}'; supported: ${activationNames.join(', ')}`);
}

function code(name: ActivationName): (typeof Act)[keyof typeof Act] {
  return Act[(Object.hasOwn(ALIASES, name) ? ALIASES[name] : name) as Exclude<ActivationName, 'softmax' | 'silu'>];
}

/**
 * Whether the activation's derivative needs its input (gelu, gelu_new, swish, mish: not invertible
 * from their output), so a layer ending with it keeps the pre-activation values.
 */
export function needsPreActivation(name: ActivationName): boolean {
  return name !== 'softmax' && code(name) >= Act.gelu;
}

/** The code a kernel that fuses the activation (conv2d) is given: linear where the layer applies it itself. */
export function fusedActivationCode(name: ActivationName): (typeof Act)[keyof typeof Act] {
  return name === 'softmax' || needsPreActivation(name) ? Act.linear : code(name);
}

/** Applies an activation over rows×cols values (softmax is row-wise); y may alias x. */
export function activationForward(b: Backend, name: ActivationName, x: Ptr, y: Ptr, rows: number, cols: number): void {
  if (name === 'softmax') b.softmax(x, y, rows, cols);
  else b.activation(code(name), x, y, rows * cols);
}

/**
 * dx = dy · act'(·), from the activation's output y, or from its input x for the activations
 * that need it (needsPreActivation: x must then be given); dx may alias dy.
 */
export function activationBackward(b: Backend, name: ActivationName, y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number, x: Ptr = -1): void {
  if (name === 'softmax') b.softmaxBackward(y, dy, dx, rows, cols);
  else if (needsPreActivation(name)) {
    if (x < 0) throw new Error(`activation '${name}': its derivative needs the pre-activation values, which were not kept`);
    b.activationBackwardFromInput(code(name), x, dy, dx, rows * cols);
  } else if (name !== 'linear' || dx !== dy) b.activationBackward(code(name), y, dy, dx, rows * cols);
}

/**
 * Adds bias to x and applies the activation, in one pass where the kernel can (every
 * activation but softmax, which needs whole rows). With y other than x (for the activations
 * that need their input kept), x keeps x + bias and y gets act(x + bias).
 */
export function biasActivationForward(b: Backend, name: ActivationName, x: Ptr, bias: Ptr, rows: number, cols: number, y: Ptr = x): void {
  const fused = y === x ? fusedActivationCode(name) : Act.linear;
  if (bias >= 0 || fused !== Act.linear) b.biasActivation(x, bias, rows, cols, fused);
  if (fused === Act.linear && (name !== 'linear' || y !== x)) activationForward(b, name, x, y, rows, cols);
}
