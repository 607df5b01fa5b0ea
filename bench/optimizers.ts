// One optimizer step over 1M parameters on the WASM backend (one thread), every optimizer and
// the clipping / weight-decay options, in alternating rounds so machine load hits all alike.
// Reported as ns per parameter and as a ratio to plain Adam measured in the same rounds.
//
//   npx tsx bench/optimizers.ts [--rounds 5]
import { createBackend, optimizers, type Optimizer, type ParamRun } from '../src/index.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { median, now } from './common.js';

const N = 1 << 20;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;
const STEPS = 20;

const CASES: [string, () => Optimizer][] = [
  ['adam', () => optimizers.adam()],
  ['sgd', () => optimizers.sgd()],
  ['sgd momentum', () => optimizers.sgd({ momentum: 0.9 })],
  ['rmsprop', () => optimizers.rmsprop()],
  ['rmsprop centered', () => optimizers.rmsprop({ centered: true })],
  ['adagrad', () => optimizers.adagrad()],
  ['adamax', () => optimizers.adamax()],
  ['nadam', () => optimizers.nadam()],
  ['adam clipNorm (2 arrays)', () => optimizers.adam({ clipNorm: 1e-3 })],
  ['adam globalClipnorm', () => optimizers.adam({ globalClipnorm: 1e-3 })],
  ['adam clipValue', () => optimizers.adam({ clipValue: 1e-3 })],
  ['rmsprop weightDecay', () => optimizers.rmsprop({ weightDecay: 0.01 })],
];

const backend = await createBackend('wasm', { threads: 1 });
const plan = new MemoryPlan(backend.base);
const params = plan.alloc(N);
const grads = plan.alloc(N);
const slots = [plan.alloc(N), plan.alloc(N), plan.alloc(N)];
backend.reserve(plan.end);
const f32 = backend.f32();
for (let i = 0; i < N; i++) {
  f32[params + i] = Math.sin(i);
  f32[grads + i] = Math.cos(i) * 0.01;
}
const made = CASES.map(([name, make]) => {
  const optimizer = make();
  const runs: ParamRun[] = [{ params, grads, slots: slots.slice(0, optimizer.slotNames.length), size: N, tensorSizes: [N - 1024, 1024] }];
  return { name, optimizer, runs, times: [] as number[] };
});
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const c of made) {
    for (const s of slots) backend.fill(s, N, 0);
    const t0 = now();
    for (let i = 0; i < STEPS; i++) c.optimizer.step(backend, c.runs);
    if (round > 0) c.times.push((now() - t0) / STEPS); // round 0 warms up
  }
}
const adam = median(made[0]!.times);
console.log(`optimizer step over ${N} parameters, WASM (${backend.name}, 1 thread), median of ${ROUNDS} rounds × ${STEPS} steps`);
for (const c of made) {
  const t = median(c.times);
  console.log(`${c.name.padEnd(26)} ${((t / N) * 1e9).toFixed(2).padStart(6)} ns/param   ×${(t / adam).toFixed(2)} of adam`);
}
backend.dispose();
