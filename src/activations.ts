import type { Backend } from './kernels/backend.js';
import { Act, type Ptr } from './kernels/kernels.js';

export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';
export const activationNames: readonly ActivationName[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

export function checkActivation(name: unknown, where: string): ActivationName {
  if (name === undefined || name === null) return 'linear';
  if (typeof name === 'string' && (activationNames as readonly string[]).includes(name)) return name as ActivationName;
  throw new Error(`${where}: unsupported activation '${String(name)}'; supported: ${activationNames.join(', ')}`);
}

/** Applies an activation in place over rows×cols values (softmax is row-wise). */
export function activationForward(b: Backend, name: ActivationName, x: Ptr, y: Ptr, rows: number, cols: number): void {
  if (name === 'softmax') b.softmax(x, y, rows, cols);
  else b.activation(Act[name], x, y, rows * cols);
}

/** dx = dy · act'(·), from the activation's output y; dx may alias dy. */
export function activationBackward(b: Backend, name: ActivationName, y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void {
  if (name === 'softmax') b.softmaxBackward(y, dy, dx, rows, cols);
  else if (name !== 'linear' || dx !== dy) b.activationBackward(Act[name], y, dy, dx, rows * cols);
}

/**
 * Adds bias and applies the activation in one pass where the kernel can (every
 * activation but softmax, which needs whole rows).
 */
export function biasActivationForward(b: Backend, name: ActivationName, x: Ptr, bias: Ptr, rows: number, cols: number): void {
  if (name === 'softmax') {
    if (bias >= 0) b.biasActivation(x, bias, rows, cols, Act.linear);
    b.softmax(x, x, rows, cols);
  } else {
    b.biasActivation(x, bias, rows, cols, Act[name]);
  }
}
