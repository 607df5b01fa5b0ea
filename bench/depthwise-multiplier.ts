// Depthwise kernels with a depth multiplier above 1: the SIMD build's vector paths (the forward
// and the kernel gradient swizzle, the input gradient through per-output sums) beside the scalar
// build's loops on the same shapes, with multiplier 1 (SIMD on all three kernels since before) as
// the yardstick; one process, alternating round by round.
//
//   npx tsx bench/depthwise-multiplier.ts [--rounds 5] [--round-seconds 0.4]
import './common.js'; // first: sets the relaxed-SIMD V8 flag before any WebAssembly compile
import { parseArgs } from 'node:util';
import type { Window2D } from '../src/kernels/kernels.js';
import { createWasmBackend, type WasmBackend } from '../src/kernels/wasm/index.js';
import { median, now, table } from './common.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'round-seconds': { type: 'string', default: '0.4' } } });
const ROUNDS = Number(values.rounds);
const ROUND_SECONDS = Number(values['round-seconds']);

/** A batch of 8 14x14 maps with 32 channels, 3x3 'same' windows. */
const g: Window2D = { n: 8, h: 14, w: 14, c: 32, kh: 3, kw: 3, sh: 1, sw: 1, padTop: 1, padLeft: 1, oh: 14, ow: 14, dh: 1, dw: 1 };

interface Case { m: number; kernel: 'forward' | 'input gradient' | 'kernel gradient'; run: (b: WasmBackend) => void }

async function setUp(variant: 'simd' | 'scalar'): Promise<{ backend: WasmBackend; cases: Case[] }> {
  const backend = await createWasmBackend({ variant });
  const cases: Case[] = [];
  let at = backend.base;
  const alloc = (n: number) => ((at += n + 16) - n - 16);
  for (const m of [1, 2, 4]) {
    const inputs = g.n * g.h * g.w * g.c;
    const outputs = g.n * g.oh * g.ow * g.c * m;
    const [x, w, y, dy, dx, dw] = [alloc(inputs), alloc(g.kh * g.kw * g.c * m), alloc(outputs), alloc(outputs), alloc(inputs), alloc(g.kh * g.kw * g.c * m)];
    backend.reserve(at);
    const f = backend.f32();
    for (let i = backend.base; i < at; i++) f[i] = Math.sin(i);
    cases.push({ m, kernel: 'forward', run: (b) => b.depthwiseConv2d(x, w, y, g, m) });
    cases.push({ m, kernel: 'input gradient', run: (b) => b.depthwiseConv2dBackwardInput(dy, w, dx, g, m) });
    cases.push({ m, kernel: 'kernel gradient', run: (b) => b.depthwiseConv2dBackwardFilter(x, dy, dw, g, m) });
  }
  return { backend, cases };
}

function timeCalls(run: () => void, seconds: number): number {
  let calls = 0;
  const t0 = now();
  do {
    run();
    calls++;
  } while (now() - t0 < seconds);
  return (now() - t0) / calls;
}

const builds = { simd: await setUp('simd'), scalar: await setUp('scalar') };
const times = new Map<string, { simd: number[]; scalar: number[] }>();
for (const b of Object.values(builds)) for (const c of b.cases) timeCalls(() => c.run(b.backend), 0.1); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, c] of builds.simd.cases.entries()) {
    const key = `${c.kernel}, m = ${c.m}`;
    const entry = times.get(key) ?? { simd: [], scalar: [] };
    entry.simd.push(timeCalls(() => c.run(builds.simd.backend), ROUND_SECONDS / 2));
    entry.scalar.push(timeCalls(() => builds.scalar.cases[i]!.run(builds.scalar.backend), ROUND_SECONDS / 2));
    times.set(key, entry);
  }
}
console.log(`depthwise 3x3 'same', batch 8 of 14x14x32, one thread, ${ROUNDS} alternating rounds`);
console.log(table(['kernel', 'scalar build ms (median)', 'SIMD build ms', 'SIMD speed-up (median, rounds min..max)'], [...times].map(([key, t]) => {
  const ratios = t.scalar.map((s, k) => s / t.simd[k]!);
  return [key, (median(t.scalar) * 1000).toFixed(3), (median(t.simd) * 1000).toFixed(3), `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)})`];
})));
