/**
 * Reading the Keras layer options the exporter needs from a model.json layer config (snake_case
 * keys, as TF.js and Keras write them), refusing values whose meaning the export would change.
 */
import type { LayerContext } from './graph-builder.js';

/** An int or [int, int] option ('kernel_size', 'strides', 'dilation_rate', 'pool_size'). */
export function pairOption(ctx: LayerContext, key: string, fallback?: [number, number]): [number, number] {
  const v = ctx.config[key];
  if ((v === undefined || v === null) && fallback) return fallback;
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`toOnnx: ${ctx.where}: config.${key} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return pair as [number, number];
}

export function paddingOption(ctx: LayerContext): 'valid' | 'same' {
  const v = ctx.config['padding'] ?? 'valid';
  if (v === 'valid' || v === 'same') return v;
  throw ctx.unsupported(`padding ${JSON.stringify(v)} (only 'valid' and 'same')`);
}

/** Refuses channels_first: wasmnn and the exporter's layout handling assume channels_last. */
export function checkChannelsLast(ctx: LayerContext): void {
  const v = ctx.config['data_format'];
  if (v !== undefined && v !== null && v !== 'channels_last') throw ctx.unsupported(`data_format ${JSON.stringify(v)} (only 'channels_last')`);
}

export function numberOption(ctx: LayerContext, key: string, fallback: number): number {
  const v = ctx.config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`toOnnx: ${ctx.where}: config.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function booleanOption(ctx: LayerContext, key: string, fallback: boolean): boolean {
  const v = ctx.config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new Error(`toOnnx: ${ctx.where}: config.${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Refuses an option unless it is absent or has the value that leaves the layer's output unchanged. */
export function expectOption(ctx: LayerContext, key: string, neutral: unknown): void {
  const v = ctx.config[key];
  if (v === undefined || v === null || JSON.stringify(v) === JSON.stringify(neutral)) return;
  throw ctx.unsupported(`${key} ${JSON.stringify(v)}`);
}

/** The per-sample shape a layer's input must have, or an error naming the layer. */
export function expectRank(ctx: LayerContext, rank: number, what: string): void {
  if (ctx.input.shape.length !== rank) {
    throw new Error(`toOnnx: ${ctx.where} expects ${what} (rank ${rank} per sample), got shape [${ctx.input.shape.join(', ')}]`);
  }
}
