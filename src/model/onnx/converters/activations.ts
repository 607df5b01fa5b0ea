/**
 * Activations, as a layer's `activation` option or as layers of their own (Activation, ReLU,
 * LeakyReLU, ELU, Softmax). Names are TF.js's serialized names (Keras' snake_case forms accepted
 * too); those without an ONNX op of opset 13 use the standard decompositions.
 */
import type { ActivationName } from '../../../activations.js';
import type { LayerContext, Value } from '../graph-builder.js';
import { numberOption } from '../keras-config.js';
import type { Converter } from './registry.js';

const NCHW_POSITION = [0, 2, 3, 1];

/** Where Keras' axis (batch = 0, negative from the end) of v lies in v's stored layout. */
function storedAxis(v: Value, kerasAxis: number): number {
  const axis = kerasAxis < 0 ? kerasAxis + v.shape.length + 1 : kerasAxis;
  return v.layout === 'nchw' ? NCHW_POSITION[axis]! : axis;
}

function unary(ctx: LayerContext, v: Value, opType: string, attributes?: Parameters<LayerContext['graph']['node']>[3]): Value {
  return { ...v, name: ctx.graph.node(opType, [v.name], `${ctx.base}/${opType.toLowerCase()}`, attributes) };
}

function mul(ctx: LayerContext, a: string, b: string, base: string): string {
  return ctx.graph.node('Mul', [a, b], base);
}

function scalar(ctx: LayerContext, base: string, value: number): string {
  return ctx.graph.floats(`${ctx.base}/${base}`, [], Float32Array.of(value));
}

function clip(ctx: LayerContext, v: Value, min: number, max: number): Value {
  const inputs = [v.name, scalar(ctx, 'clip_min', min), scalar(ctx, 'clip_max', max)];
  return { ...v, name: ctx.graph.node('Clip', inputs, `${ctx.base}/clip`) };
}

type Builder = (ctx: LayerContext, v: Value) => Value;

/** The names TF.js and Keras write besides wasmnn's own (ActivationName). */
type OtherName = 'hard_sigmoid' | 'silu' | 'logSoftmax' | 'log_softmax';

function swish(ctx: LayerContext, v: Value): Value {
  return { ...v, name: mul(ctx, v.name, unary(ctx, v, 'Sigmoid').name, `${ctx.base}/swish`) };
}

// TF.js' hard sigmoid, clip(0.2·x + 0.5, 0, 1) (Keras 3 changed the slope to 1/6).
const hardSigmoid: Builder = (ctx, v) => unary(ctx, v, 'HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } });
const logSoftmax: Builder = (ctx, v) => unary(ctx, v, 'LogSoftmax', { axis: storedAxis(v, -1) });

/**
 * Every activation wasmnn has must be here (the compiler checks: a Record over ActivationName), so
 * adding one to activations.ts without its ONNX form does not compile; a name not here is an error.
 */
const BUILDERS: Record<ActivationName | OtherName, Builder> = {
  linear: (_ctx, v) => v,
  relu: (ctx, v) => unary(ctx, v, 'Relu'),
  relu6: (ctx, v) => clip(ctx, v, 0, 6),
  sigmoid: (ctx, v) => unary(ctx, v, 'Sigmoid'),
  hardSigmoid,
  hard_sigmoid: hardSigmoid,
  tanh: (ctx, v) => unary(ctx, v, 'Tanh'),
  softmax: (ctx, v) => unary(ctx, v, 'Softmax', { axis: storedAxis(v, -1) }),
  logSoftmax,
  log_softmax: logSoftmax,
  elu: (ctx, v) => unary(ctx, v, 'Elu', { alpha: { float: 1 } }),
  // ONNX's default alpha and gamma are the SELU constants Keras uses.
  selu: (ctx, v) => unary(ctx, v, 'Selu'),
  softplus: (ctx, v) => unary(ctx, v, 'Softplus'),
  softsign: (ctx, v) => unary(ctx, v, 'Softsign'),
  swish,
  silu: swish,
  // x · tanh(softplus(x)) (Mish is an op only from opset 18).
  mish: (ctx, v) => {
    const t = unary(ctx, unary(ctx, v, 'Softplus'), 'Tanh');
    return { ...v, name: mul(ctx, v.name, t.name, `${ctx.base}/mish`) };
  },
  gelu: (ctx, v) => {
    // Exact GELU, x · (1 + erf(x / √2)) / 2 (Gelu is an op only from opset 20).
    const g = ctx.graph;
    const erf = g.node('Erf', [mul(ctx, v.name, scalar(ctx, 'inv_sqrt2', Math.SQRT1_2), `${ctx.base}/gelu_scaled`)], `${ctx.base}/gelu_erf`);
    const onePlus = g.node('Add', [erf, scalar(ctx, 'one', 1)], `${ctx.base}/gelu_one_plus`);
    return { ...v, name: mul(ctx, mul(ctx, v.name, scalar(ctx, 'half', 0.5), `${ctx.base}/gelu_half`), onePlus, `${ctx.base}/gelu`) };
  },
  gelu_new: (ctx, v) => {
    // GELU's tanh approximation, x · (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2.
    const g = ctx.graph;
    const x3 = mul(ctx, mul(ctx, v.name, v.name, `${ctx.base}/gelu_x2`), v.name, `${ctx.base}/gelu_x3`);
    const inner = g.node('Add', [v.name, mul(ctx, x3, scalar(ctx, 'gelu_k', 0.044715), `${ctx.base}/gelu_kx3`)], `${ctx.base}/gelu_inner`);
    const t = g.node('Tanh', [mul(ctx, inner, scalar(ctx, 'gelu_c', Math.sqrt(2 / Math.PI)), `${ctx.base}/gelu_scaled`)], `${ctx.base}/gelu_tanh`);
    const onePlus = g.node('Add', [t, scalar(ctx, 'one', 1)], `${ctx.base}/gelu_one_plus`);
    return { ...v, name: mul(ctx, mul(ctx, v.name, scalar(ctx, 'half', 0.5), `${ctx.base}/gelu_half`), onePlus, `${ctx.base}/gelu_new`) };
  },
  exponential: (ctx, v) => unary(ctx, v, 'Exp'),
};

/** Applies a named activation to v; 'linear' (or none) adds nothing; any other name is an error naming it. */
export function applyActivation(ctx: LayerContext, v: Value, activation: unknown): Value {
  const name = activation ?? 'linear';
  // Object.hasOwn: '__proto__' or 'toString' must not find Object.prototype's members.
  if (typeof name !== 'string' || !Object.hasOwn(BUILDERS, name)) throw ctx.unsupported(`activation ${JSON.stringify(activation)}`);
  return BUILDERS[name as keyof typeof BUILDERS](ctx, v);
}

/**
 * Keras ReLU: x > threshold ? min(x, max_value) : negative_slope·(x − threshold); plain Relu or
 * Clip when only max_value is set.
 */
function kerasRelu(ctx: LayerContext): Value {
  const v = ctx.input;
  const slope = numberOption(ctx, 'negative_slope', 0);
  const threshold = numberOption(ctx, 'threshold', 0);
  const max = numberOption(ctx, 'max_value', Infinity);
  if (slope === 0 && threshold === 0) return max === Infinity ? unary(ctx, v, 'Relu') : clip(ctx, v, 0, max);
  const g = ctx.graph;
  const t = scalar(ctx, 'threshold', threshold);
  const above = max === Infinity ? v.name : g.node('Min', [v.name, scalar(ctx, 'max_value', max)], `${ctx.base}/ceiling`);
  const below = mul(ctx, g.node('Sub', [v.name, t], `${ctx.base}/below`), scalar(ctx, 'negative_slope', slope), `${ctx.base}/damped`);
  const isAbove = g.node('Greater', [v.name, t], `${ctx.base}/above_threshold`);
  return { ...v, name: g.node('Where', [isAbove, above, below], `${ctx.base}/relu`) };
}

export const activationConverters: Record<string, Converter> = {
  Activation: (ctx) => applyActivation(ctx, ctx.input, ctx.config['activation']),
  ReLU: kerasRelu,
  LeakyReLU: (ctx) => {
    // TF.js names the slope alpha (default 0.3), Keras 3 negative_slope.
    const alpha = numberOption(ctx, 'negative_slope', numberOption(ctx, 'alpha', 0.3));
    return unary(ctx, ctx.input, 'LeakyRelu', { alpha: { float: alpha } });
  },
  ELU: (ctx) => unary(ctx, ctx.input, 'Elu', { alpha: { float: numberOption(ctx, 'alpha', 1) } }),
  Softmax: (ctx) => {
    // TF.js' Softmax layer defaults to axis 1, Keras' to -1; model.json states it either way.
    const axis = numberOption(ctx, 'axis', -1);
    const rank = ctx.input.shape.length + 1;
    if (!Number.isInteger(axis) || axis === 0 || axis < -rank || axis >= rank || axis === -rank) throw ctx.unsupported(`axis ${axis} for an input of rank ${rank}`);
    return unary(ctx, ctx.input, 'Softmax', { axis: storedAxis(ctx.input, axis) });
  },
};
