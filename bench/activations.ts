// Activation kernels, forward and backward, over one conv layer's output for a batch of 32
// (32×26×26×32 values): the JS reference and each WASM build, timed in alternating rounds in
// one run so the ratios share the machine's state. Run: npx tsx bench/activations.ts [--rounds N]
import { setFlagsFromString } from 'node:v8';
import type { Backend } from '../src/kernels/backend.js';
import { createJsBackend } from '../src/kernels/js/index.js';
import { Act, type ActCode } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { fmt, median, table } from './common.js';

// Like a CLI, opt in to relaxed SIMD (Node 20 hides it behind a V8 flag) before any compile.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const N = 32 * 26 * 26 * 32;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

interface Subject {
  name: string;
  be: Backend;
  x: number;
  y: number;
  dy: number;
}

function subject(name: string, be: Backend): Subject {
  const plan = new MemoryPlan(be.base);
  const s = { name, be, x: plan.alloc(N), y: plan.alloc(N), dy: plan.alloc(N) };
  be.reserve(plan.end);
  const f = be.f32();
  for (let i = 0; i < N; i++) {
    f[s.x + i] = 4 * Math.sin(i * 0.37);
    f[s.dy + i] = Math.cos(i * 0.11);
  }
  return s;
}

/** Milliseconds of one forward and one backward call (from the output where it can, else from the input). */
function timeOnce(s: Subject, act: ActCode): [number, number] {
  const t0 = performance.now();
  s.be.activation(act, s.x, s.y, N);
  const t1 = performance.now();
  if (act < Act.gelu) s.be.activationBackward(act, s.y, s.dy, s.y, N);
  else s.be.activationBackwardFromInput(act, s.x, s.dy, s.y, N);
  return [t1 - t0, performance.now() - t1];
}

const subjects = [subject('js', createJsBackend())];
for (const variant of supportedVariants()) subjects.push(subject(`wasm-${variant}`, await createWasmBackend({ variant, threads: 1 })));

const acts = Object.entries(Act) as [string, ActCode][];
const times = new Map<string, [number[], number[]]>();
for (const [name, act] of acts) for (const s of subjects) times.set(`${name}/${s.name}`, [[], []]);
// Warm-up (TurboFan tier-up of the JS reference and of the WASM functions), then alternating rounds.
for (const [, act] of acts) for (const s of subjects) for (let i = 0; i < 2; i++) timeOnce(s, act);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, act] of acts) {
    for (const s of subjects) {
      const [fw, bw] = timeOnce(s, act);
      const t = times.get(`${name}/${s.name}`)!;
      t[0].push(fw);
      t[1].push(bw);
    }
  }
}

const wasm = subjects.slice(1).map((s) => s.name);
const head = ['activation', 'js fwd ms', ...wasm.map((w) => `${w} fwd ms`), 'js bwd ms', ...wasm.map((w) => `${w} bwd ms`), `js / ${wasm[0]} (fwd+bwd)`];
const body = acts.map(([name]) => {
  const med = (impl: string, k: 0 | 1): number => median(times.get(`${name}/${impl}`)![k]);
  const total = (impl: string): number => med(impl, 0) + med(impl, 1);
  return [
    name,
    fmt(med('js', 0), 2), ...wasm.map((w) => fmt(med(w, 0), 2)),
    fmt(med('js', 1), 2), ...wasm.map((w) => fmt(med(w, 1), 2)),
    `${fmt(total('js') / total(wasm[0]!), 1)}x`,
  ];
});
console.log(`${N} values, median of ${ROUNDS} alternating rounds, one thread\n`);
console.log(table(head, body));
