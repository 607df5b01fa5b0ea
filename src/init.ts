import type { Random } from './random.js';
import type { Shape } from './tensor.js';

/** Keras initializer names (and their class names in model files). */
export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'zeros' | 'ones';

export const initializerClassNames: Record<InitializerName, string> = {
  glorotUniform: 'GlorotUniform',
  glorotNormal: 'GlorotNormal',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  zeros: 'Zeros',
  ones: 'Ones',
};

export function initializerFromClassName(className: string): InitializerName {
  for (const [name, cls] of Object.entries(initializerClassNames)) if (cls === className) return name as InitializerName;
  throw new Error(`unsupported initializer '${className}'; supported: ${Object.values(initializerClassNames).join(', ')}`);
}

/** Fan in / fan out as Keras computes them: receptive field × channels for conv kernels [kh, kw, in, out]. */
export function fans(shape: Shape): [number, number] {
  if (shape.length < 2) return [shape[0] ?? 1, shape[0] ?? 1];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/** Fills `out` with the initializer's values for a parameter of `shape`. */
export function initialize(name: InitializerName, shape: Shape, out: Float32Array, rng: Random): void {
  const [fanIn, fanOut] = fans(shape);
  switch (name) {
    case 'zeros':
      out.fill(0);
      return;
    case 'ones':
      out.fill(1);
      return;
    case 'glorotUniform':
      return fillUniform(out, Math.sqrt(6 / (fanIn + fanOut)), rng);
    case 'heUniform':
      return fillUniform(out, Math.sqrt(6 / fanIn), rng);
    case 'glorotNormal':
      return fillTruncatedNormal(out, Math.sqrt(2 / (fanIn + fanOut)), rng);
    case 'heNormal':
      return fillTruncatedNormal(out, Math.sqrt(2 / fanIn), rng);
  }
}

function fillUniform(out: Float32Array, limit: number, rng: Random): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
}

/**
 * Keras' variance-scaling normal: a normal truncated at 2σ, with σ divided by
 * 0.8796… (the truncated normal's std) so the result has the intended variance.
 */
function fillTruncatedNormal(out: Float32Array, stddev: number, rng: Random): void {
  const sigma = stddev / 0.87962566103423978;
  for (let i = 0; i < out.length; i++) {
    let z: number;
    do z = rng.normal();
    while (Math.abs(z) > 2);
    out[i] = z * sigma;
  }
}
