// GEMM throughput of the WebAssembly builds (1 and 2 threads) against the JS reference on the
// products that dominate MNIST training, plus 1024³. Run: npx tsx bench/gemm.ts
// (not a test; bench/run.ts may import benchGemm() and store the rows).
import asc from 'assemblyscript/asc';
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';
import type { Backend } from '../src/kernels/backend.js';
import { createJsBackend } from '../src/kernels/js/index.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { spawnNodeWorker } from '../src/kernels/wasm/threads-node.js';
import { MemoryPlan } from '../src/memory-plan.js';

// Like a CLI, the benchmark opts in to relaxed SIMD (Node 20 hides it behind a V8 flag) so
// that build is measured too; this must run before the first WebAssembly compile.
setFlagsFromString('--experimental-wasm-relaxed-simd');

export interface GemmShape {
  name: string;
  m: number;
  k: number;
  n: number;
}

export interface GemmBenchRow {
  shape: string;
  m: number;
  k: number;
  n: number;
  /** 'js' or 'wasm-relaxed' / 'wasm-simd' / 'wasm-scalar'. */
  impl: string;
  threads: number;
  reps: number;
  medianMs: number;
  bestMs: number;
  /** From the median time. */
  gflops: number;
  bestGflops: number;
}

export const GEMM_SHAPES: GemmShape[] = [
  { name: 'conv 3x3x64->32, batch 32 (im2col)', m: 18432, k: 576, n: 32 },
  { name: 'dense 256->256, one image (predict)', m: 1, k: 256, n: 256 },
  { name: 'dense 18432->10, batch 32', m: 32, k: 18432, n: 10 },
  { name: 'square 1024', m: 1024, k: 1024, n: 1024 },
];

/** Times `op` after a warm-up (TurboFan tier-up), `reps` times; returns sorted times in ms. */
function time(op: () => void, reps: number, warmupMs: number): number[] {
  const warmEnd = performance.now() + warmupMs;
  do op(); while (performance.now() < warmEnd);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    op();
    times.push(performance.now() - t0);
  }
  return times.sort((x, y) => x - y);
}

function measure(be: Backend, impl: string, shape: GemmShape, budgetMs: number): GemmBenchRow {
  const { m, k, n } = shape;
  const plan = new MemoryPlan(be.base);
  const a = plan.alloc(m * k);
  const b = plan.alloc(k * n);
  const c = plan.alloc(m * n);
  be.reserve(plan.end);
  const f = be.f32();
  for (let i = 0; i < m * k; i++) f[a + i] = Math.sin(i) * 0.5;
  for (let i = 0; i < k * n; i++) f[b + i] = Math.cos(i) * 0.5;
  const call = (): void => be.gemm(false, false, m, n, k, a, b, c, false);
  // One timed call sizes the repeat count to the budget. A call longer than the whole budget
  // (the reference on 1024³) is measured once: its inner loops are optimized on the fly (OSR).
  // Calls under a millisecond are timed in groups of `inner` (a timer reading costs ~0.1 µs,
  // a one-row product ~10 µs) and warmed up for at least 200 ms, long enough for TurboFan.
  const t0 = performance.now();
  call();
  const once = performance.now() - t0;
  const inner = once < 1 ? Math.ceil(1 / Math.max(once, 1e-3)) : 1;
  const op = inner === 1 ? call : (): void => { for (let i = 0; i < inner; i++) call(); };
  const reps = Math.max(1, Math.min(50, Math.round(budgetMs / Math.max(once * inner, 1e-3))));
  const warmupMs = Math.min(budgetMs / 2, Math.max(once * 3, inner > 1 ? 200 : 0));
  const times = once >= budgetMs ? [once] : time(op, reps, warmupMs).map((t) => t / inner);
  const medianMs = times[Math.floor(times.length / 2)]!;
  const bestMs = times[0]!;
  const flop = 2 * m * n * k;
  return {
    shape: shape.name, m, k, n, impl, threads: be.threads, reps: times.length, medianMs, bestMs,
    gflops: flop / medianMs / 1e6, bestGflops: flop / bestMs / 1e6,
  };
}

// The ceiling this core reaches right now: 12 independent f32x4 multiply-add chains on registers
// (no memory traffic), fused (relaxed) or as mul + add (plain SIMD). On a shared VM the clock
// and the neighbours vary, so GEMM rows are best read against this row of the same run.
const PEAK_SOURCE = `
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
export function peak(n: i32, x: f32): f32 {
  const a = f32x4.splat(x), b = f32x4.splat(0.999);
  let c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
  for (let i = 0; i < n; i++) {
    c0 = madd(c0, b, a); c1 = madd(c1, b, a); c2 = madd(c2, b, a); c3 = madd(c3, b, a);
    c4 = madd(c4, b, a); c5 = madd(c5, b, a); c6 = madd(c6, b, a); c7 = madd(c7, b, a);
    c8 = madd(c8, b, a); c9 = madd(c9, b, a); c10 = madd(c10, b, a); c11 = madd(c11, b, a);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))), 0);
}`;
const PEAK_FLOP_PER_TRIP = 12 * 4 * 2;

export async function measurePeak(relaxed: boolean): Promise<GemmBenchRow | null> {
  const enable = relaxed ? ['simd', 'relaxed-simd'] : ['simd'];
  const { binary } = await asc.compileString(PEAK_SOURCE, { optimizeLevel: 3, runtime: 'stub', noAssert: true, enable });
  if (!binary) return null;
  const bytes = new Uint8Array(binary); // a plain ArrayBuffer copy for the WebAssembly API
  if (!WebAssembly.validate(bytes)) return null;
  const { instance } = await WebAssembly.instantiate(bytes);
  const peak = instance.exports['peak'] as (n: number, x: number) => number;
  const trips = 2_000_000;
  const times = time(() => peak(trips, 0.5), 20, 100);
  const flop = trips * PEAK_FLOP_PER_TRIP;
  return {
    shape: `peak: registers only`, m: 0, k: 0, n: 0, impl: relaxed ? 'wasm-relaxed' : 'wasm-simd', threads: 1, reps: times.length,
    medianMs: times[times.length >> 1]!, bestMs: times[0]!,
    gflops: flop / times[times.length >> 1]! / 1e6, bestGflops: flop / times[0]! / 1e6,
  };
}

/** Measures every shape on every WebAssembly build (1 and 2 threads) and the JS reference. */
export async function benchGemm(options: { jsBudgetMs?: number; wasmBudgetMs?: number; log?: (row: GemmBenchRow) => void } = {}): Promise<GemmBenchRow[]> {
  const rows: GemmBenchRow[] = [];
  const push = (row: GemmBenchRow | null): void => {
    if (row === null) return;
    rows.push(row);
    options.log?.(row);
  };
  push(await measurePeak(true));
  push(await measurePeak(false));
  for (const variant of supportedVariants()) {
    for (const threads of [1, 2]) {
      const be = await createWasmBackend({ variant, threads, spawnWorker: spawnNodeWorker });
      try {
        for (const shape of GEMM_SHAPES) push(measure(be, `wasm-${variant}`, shape, options.wasmBudgetMs ?? 1500));
      } finally {
        be.dispose();
      }
    }
  }
  // The reference is slow (1024³ takes seconds): it gets a small budget, hence 1–3 repeats.
  const js = createJsBackend();
  for (const shape of GEMM_SHAPES) push(measure(js, 'js', shape, options.jsBudgetMs ?? 3000));
  return rows;
}

function formatRow(r: GemmBenchRow): string {
  return [
    r.shape.padEnd(36), (r.m ? `${r.m}x${r.k}x${r.n}` : '-').padEnd(16), r.impl.padEnd(13), String(r.threads).padStart(7),
    String(r.reps).padStart(5), r.medianMs.toFixed(2).padStart(11), r.gflops.toFixed(2).padStart(9), r.bestGflops.toFixed(2).padStart(9),
  ].join(' ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`GEMM, float32, C = A·B (M×K by K×N); GFLOP/s = 2MNK / time. Node ${process.version}.`);
  console.log([
    'shape'.padEnd(36), 'MxKxN'.padEnd(16), 'impl'.padEnd(13), 'threads'.padStart(7),
    'reps'.padStart(5), 'median ms'.padStart(11), 'GFLOP/s'.padStart(9), 'best'.padStart(9),
  ].join(' '));
  await benchGemm({ log: (row) => console.log(formatRow(row)) });
}
