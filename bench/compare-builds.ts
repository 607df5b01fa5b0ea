// Two builds of wasmnn side by side in one process: training samples/s, single-image predict
// latency and batch predict throughput, alternating old and new round by round so both see the
// same machine state (a shared host's speed drifts by 2-3x within minutes). Each build is a
// package root holding a built dist/ (e.g. a `git worktree add --detach DIR <commit>` + npm ci).
//
//   npx tsx bench/compare-builds.ts --old ../wasmnn-old --new . [--models seed,compact]
//     [--threads 1,2] [--rounds 6] [--round-seconds 2] [--out cmp.json]
//
// Prints, per model and thread count, each build's median over rounds and the new/old ratio's
// median and range across rounds (ratio > 1: new is faster).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { median, now } from './common.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

interface Args {
  old: string;
  new: string;
  models: string[];
  threads: number[];
  rounds: number;
  roundSeconds: number;
  out: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const old = get('--old');
  const neu = get('--new');
  if (!old || !neu) throw new Error('usage: compare-builds --old DIR --new DIR [--models a,b] [--threads 1,2] [--rounds N] [--round-seconds S] [--out FILE]');
  const list = (s: string | undefined, d: string): string[] => (s ?? d).split(',').filter(Boolean);
  const positive = (s: string | undefined, d: number, what: string): number => {
    const v = s === undefined ? d : Number(s);
    if (!(v > 0)) throw new Error(`compare-builds: ${what} must be a positive number, got ${s}`);
    return v;
  };
  return {
    old: resolve(old),
    new: resolve(neu),
    models: list(get('--models'), 'seed,compact'),
    threads: list(get('--threads'), '1,2').map((t) => positive(t, 1, '--threads')),
    rounds: positive(get('--rounds'), 6, '--rounds'),
    roundSeconds: positive(get('--round-seconds'), 2, '--round-seconds'),
    out: get('--out'),
  };
}

/** The part of the public API this bench drives; stable across the builds it compares. */
interface ModelLike {
  fit(x: unknown, y: unknown, args: object): Promise<unknown>;
  predict(x: unknown): Promise<unknown>;
  dispose(): void;
}
interface Build {
  label: string;
  Tensor: new (data: Float32Array, shape: number[]) => unknown;
  loadMnist(): Promise<{ train: { x: { data: Float32Array; shape: number[] }; y: { data: Float32Array; shape: number[] } }; test: { x: { data: Float32Array; shape: number[] } } }>;
  buildArchitecture(name: string, options: object): ModelLike;
  compileWithRecipe(model: ModelLike, recipe: unknown, n: number): unknown;
  recipe(name: string, overrides?: object): { batchSize: number };
  createBackend(name: string, options: object): Promise<unknown>;
}

async function loadBuild(root: string, label: string): Promise<Build> {
  const url = (p: string): string => pathToFileURL(resolve(root, 'dist', p)).href;
  const index = (await import(url('index.node.js'))) as Record<string, unknown>;
  const arch = (await import(url('architectures.js'))) as Record<string, unknown>;
  return { label, ...index, ...arch } as unknown as Build;
}

/** One measurement a round: returns a rate (higher is better). */
type Probe = () => Promise<number>;

interface Case {
  name: string;
  unit: string;
  probes: [Probe, Probe];
  dispose(): void;
}

function slice(t: { data: Float32Array; shape: number[] }, start: number, n: number): { data: Float32Array; shape: number[] } {
  const size = t.data.length / t.shape[0]!;
  const s = start % (t.shape[0]! - n);
  return { data: t.data.subarray(s * size, (s + n) * size), shape: [n, ...t.shape.slice(1)] };
}

async function trainingCase(builds: [Build, Build], model: string, threads: number, seconds: number): Promise<Case> {
  const made = await Promise.all(
    builds.map(async (b) => {
      const { train } = await b.loadMnist();
      const backend = await b.createBackend('wasm', { threads });
      const m = b.buildArchitecture(model, { seed: 1, backend });
      const bs = model === 'seed' ? 32 : b.recipe(model).batchSize;
      b.compileWithRecipe(m, b.recipe(model, { batchSize: bs }), train.x.shape[0]!);
      let offset = 0;
      let stepsPerRound = 1;
      const run = async (steps: number): Promise<number> => {
        const x = slice(train.x, offset, steps * bs);
        const y = slice(train.y, offset, steps * bs);
        offset += steps * bs;
        const t0 = now();
        await m.fit(new b.Tensor(x.data, x.shape), new b.Tensor(y.data, y.shape), { batchSize: bs, epochs: 1, shuffle: false, verbose: 0 });
        return now() - t0;
      };
      // Warm-up (tier-up, memory plan), then size a round to about `seconds`.
      await run(2);
      stepsPerRound = Math.max(2, Math.round(seconds / Math.max((await run(3)) / 3, 1e-4)));
      const probe: Probe = async () => (stepsPerRound * bs) / (await run(stepsPerRound));
      return { probe, dispose: () => m.dispose() };
    }),
  );
  return { name: `train ${model} ${threads}t`, unit: 'samples/s', probes: [made[0]!.probe, made[1]!.probe], dispose: () => made.forEach((m) => m.dispose()) };
}

async function predictCases(builds: [Build, Build], model: string, threads: number, seconds: number): Promise<Case[]> {
  const made = await Promise.all(
    builds.map(async (b) => {
      const { test } = await b.loadMnist();
      const backend = await b.createBackend('wasm', { threads });
      const m = b.buildArchitecture(model, { seed: 1, backend });
      const one = slice(test.x, 0, 1);
      const batch = slice(test.x, 0, 1000);
      const single = new b.Tensor(one.data, one.shape);
      const many = new b.Tensor(batch.data, batch.shape);
      for (let i = 0; i < 200; i++) await m.predict(single);
      await m.predict(many);
      const latency: Probe = async () => {
        const times: number[] = [];
        const end = now() + seconds / 2;
        while (now() < end) {
          const t0 = now();
          await m.predict(single);
          times.push(now() - t0);
        }
        return 1 / median(times); // single predicts per second at the median latency
      };
      const throughput: Probe = async () => {
        let images = 0;
        const t0 = now();
        while (now() - t0 < seconds / 2) {
          await m.predict(many);
          images += 1000;
        }
        return images / (now() - t0);
      };
      return { latency, throughput, dispose: () => m.dispose() };
    }),
  );
  const dispose = (): void => made.forEach((m) => m.dispose());
  return [
    { name: `predict 1 image ${model} ${threads}t`, unit: '1/median s', probes: [made[0]!.latency, made[1]!.latency], dispose: () => {} },
    { name: `predict batch 1000 ${model} ${threads}t`, unit: 'images/s', probes: [made[0]!.throughput, made[1]!.throughput], dispose },
  ];
}

interface Result {
  case: string;
  unit: string;
  old: number;
  new: number;
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
  rounds: number;
}

async function compare(c: Case, rounds: number): Promise<Result> {
  const rates: [number[], number[]] = [[], []];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which build goes first, so neither always runs on the warmer (or throttled) half.
    const order = r % 2 ? [1, 0] : [0, 1];
    const got: number[] = [0, 0];
    for (const i of order) got[i] = await c.probes[i as 0 | 1]();
    rates[0].push(got[0]!);
    rates[1].push(got[1]!);
    ratios.push(got[1]! / got[0]!);
  }
  return {
    case: c.name,
    unit: c.unit,
    old: median(rates[0]),
    new: median(rates[1]),
    ratioMedian: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    rounds,
  };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const builds: [Build, Build] = [await loadBuild(a.old, 'old'), await loadBuild(a.new, 'new')];
  console.log(`old: ${a.old}\nnew: ${a.new}\nratio = new/old (> 1: new faster), median [min, max] over ${a.rounds} alternating rounds`);
  const results: Result[] = [];
  for (const model of a.models) {
    for (const threads of a.threads) {
      const cases = [await trainingCase(builds, model, threads, a.roundSeconds), ...(await predictCases(builds, model, threads, a.roundSeconds))];
      for (const c of cases) {
        const r = await compare(c, a.rounds);
        results.push(r);
        console.log(`${r.case.padEnd(30)} old ${r.old.toFixed(0).padStart(7)}  new ${r.new.toFixed(0).padStart(7)} ${r.unit.padEnd(11)} ratio ${r.ratioMedian.toFixed(3)} [${r.ratioMin.toFixed(3)}, ${r.ratioMax.toFixed(3)}]`);
        c.dispose();
      }
    }
  }
  if (a.out) writeFileSync(a.out, JSON.stringify({ when: new Date().toISOString(), old: a.old, new: a.new, results }, null, 2) + '\n');
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
