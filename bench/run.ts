// Side-by-side benchmark: wasmnn (WASM 1/2 threads, JS reference) vs PyTorch on the CPU (1/2
// threads, when python3 has torch) and TensorFlow.js 4.22 in Node (CPU and WASM backends), all
// measured in one run on this machine. Prints markdown tables with
// ratios and writes bench/results.json.
//
//   npm run bench                      GEMM, training, inference (a few minutes; TF.js CPU is slow)
//   npm run bench -- --quick           short runs: a smoke check, noisy numbers
//   npm run bench -- --full            longer runs + time to accuracy
//   npm run bench -- --time-to-accuracy    add time-to-98/99/99.5/99.6% runs of both recipes (minutes)
//   npm run bench -- --load [--load-duration 60]   add the HTTP load bench (bench/load.ts)
//   --only gemm,training,inference,tta,load    run just these sections
//   --models compact,seed,lenet    --threads N (time to accuracy)    --tta-archs compact,accurate (time to accuracy)    --out FILE (default bench/results.json)
//   --slow-steps N    measured steps for backends whose one step takes > 10 s (TF.js cpu; default 2, --full 3)
//   --wasmnn-only    wasmnn's WASM rows only (1 vs 2 threads, alternating): no JS reference, no TF.js
//   --skip-tfjs      wasmnn and PyTorch rows only (no JS reference, no TF.js)
import './common.js'; // first: sets the relaxed-SIMD V8 flag before any WebAssembly compile
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '../src/index.node.js'; // registers the Node worker spawner used for 2 threads
import { createBackend } from '../src/kernels/index.js';
import { benchGemm, type GemmBenchRow } from './gemm.js';
import { benchLoad, formatLoadTable, type LoadRow } from './load.js';
import { fmt, mnist, table, type BenchOptions } from './common.js';
import { benchInference, type InferenceRow } from './inference.js';
import { tfWasmInfo, tf } from './tfjs-models.js';
import { DEFAULT_ARCHITECTURE, FAST_ARCHITECTURE } from '../src/architectures.js';
import { benchTimeToAccuracy, type TimeToAccuracy } from './time-to-accuracy.js';
import { benchTraining, type TrainRow } from './training.js';
import { TORCH_HINT, torchVersion } from './torch-anchor.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    'time-to-accuracy': { type: 'boolean', default: false },
    load: { type: 'boolean', default: false },
    'load-duration': { type: 'string' },
    only: { type: 'string' },
    models: { type: 'string', default: 'seed,compact,lenet' },
    threads: { type: 'string', default: '2' },
    'tta-archs': { type: 'string', default: [...new Set([FAST_ARCHITECTURE, DEFAULT_ARCHITECTURE])].join(',') },
    'wasmnn-only': { type: 'boolean', default: false },
    'skip-tfjs': { type: 'boolean', default: false },
    'slow-steps': { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
  },
});

const quick = args.quick;
const full = args.full;
const options: BenchOptions = {
  quick,
  trainSeconds: quick ? 1.5 : full ? 10 : 5,
  warmupSeconds: quick ? 0.5 : 2,
  jsRefSteps: quick ? 1 : 3,
  slowStepSeconds: 10,
  slowSteps: args['slow-steps'] ? Number(args['slow-steps']) : full ? 3 : 2,
  latencyCalls: quick ? 50 : full ? 500 : 200,
  latencySeconds: quick ? 3 : full ? 60 : 30,
  batchImages: 10_000,
  predictBatch: 256,
  batchSeconds: quick ? 5 : full ? 120 : 45,
  models: args.models.split(',').map((s) => s.trim()).filter(Boolean),
  threads: Number(args.threads),
  wasmnnOnly: args['wasmnn-only'],
  skipTfjs: args['skip-tfjs'],
};
const sections = new Set(
  args.only
    ? args.only.split(',').map((s) => s.trim())
    : ['gemm', 'training', 'inference', ...(full || args['time-to-accuracy'] ? ['tta'] : []), ...(args.load ? ['load'] : [])],
);

const ttaArchitectures = args['tta-archs'].split(',').map((s) => s.trim()).filter(Boolean);
const log = (line: string): void => console.log(line);

async function machine(): Promise<Record<string, unknown>> {
  const probe = await createBackend('wasm', { threads: 2 });
  const info = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    availableParallelism: availableParallelism(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    wasmVariant: (probe as { variant?: string }).variant ?? null,
    wasmnnThreads: [1, probe.threads],
    tfjs: tf.version.tfjs,
    pytorch: torchVersion(),
    tfjsWasm: await tfWasmInfo().then(({ simd, multithread }) => ({ simd, multithread })),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  probe.dispose();
  return info;
}

function gemmTable(rows: GemmBenchRow[]): string {
  const shapes = [...new Set(rows.map((r) => r.shape))];
  const impls = [...new Set(rows.map((r) => `${r.impl} ${r.threads}t`))];
  const get = (shape: string, impl: string): GemmBenchRow | undefined => rows.find((r) => r.shape === shape && `${r.impl} ${r.threads}t` === impl);
  const best = (shape: string): GemmBenchRow | undefined =>
    rows.filter((r) => r.shape === shape && r.impl !== 'js').sort((a, b) => b.gflops - a.gflops)[0];
  return table(
    ['GEMM (GFLOP/s, median)', ...impls, 'best wasm / js'],
    shapes.map((s) => {
      const js = get(s, 'js 1t');
      const b = best(s);
      return [s, ...impls.map((i) => fmt(get(s, i)?.gflops)), b && js ? `${fmt(b.gflops / js.gflops)}x` : '—'];
    }),
  );
}

const TF_IMPLS = ['tfjs cpu', 'tfjs wasm (as shipped)', 'tfjs wasm + cpu Conv2DBackpropFilter', 'tfjs wasm'];
const TORCH = 'pytorch cpu';
const threadsLabel = (r: { impl: string; threads: number | null }): string =>
  r.impl.startsWith('wasmnn') || r.impl === TORCH ? `, ${r.threads} thread${r.threads === 1 ? '' : 's'}` : '';
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a && b ? a / b : null);

function trainingTable(rows: TrainRow[]): { text: string; ratios: Record<string, unknown>[] } {
  const ratios: Record<string, unknown>[] = [];
  const body: string[][] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const mine = rows.filter((r) => r.model === model);
    const w2 = mine.find((r) => r.impl === 'wasmnn wasm' && r.threads === 2) ?? mine.find((r) => r.impl === 'wasmnn wasm' && r.threads === 1);
    const w1 = mine.find((r) => r.impl === 'wasmnn wasm' && r.threads === 1);
    // Ratios use warm rows only: a cold first step (tier-up, kernel compiles) is reported, never compared.
    const tfBest = mine.filter((r) => TF_IMPLS.includes(r.impl) && r.samplesPerSec !== null && !r.cold).sort((a, b) => b.samplesPerSec! - a.samplesPerSec!)[0];
    const torch1 = mine.find((r) => r.impl === TORCH && r.threads === 1);
    const torch2 = mine.find((r) => r.impl === TORCH && r.threads === 2);
    const jsRef = mine.find((r) => r.impl.startsWith('wasmnn js'));
    for (const r of mine) {
      body.push([
        `${model} (bs ${r.batchSize})`,
        `${r.impl}${threadsLabel(r)}`,
        r.samplesPerSec === null ? 'fails (below)' : fmt(r.samplesPerSec),
        r.samplesPerSec === null ? '' : `${r.steps}${r.cold ? ' (cold)' : ''}`,
        w2?.samplesPerSec && r.samplesPerSec ? `${fmt(w2.samplesPerSec / r.samplesPerSec)}x` : '—',
      ]);
    }
    ratios.push({
      kind: 'training',
      model,
      fastestTfjs: tfBest?.impl ?? null,
      wasmnn2tOverFastestTfjs: w2?.samplesPerSec && tfBest?.samplesPerSec ? w2.samplesPerSec / tfBest.samplesPerSec : null,
      wasmnn1tOverFastestTfjs: w1?.samplesPerSec && tfBest?.samplesPerSec ? w1.samplesPerSec / tfBest.samplesPerSec : null,
      wasmnn2tOverJsReference: w2?.samplesPerSec && jsRef?.samplesPerSec ? w2.samplesPerSec / jsRef.samplesPerSec : null,
      wasmnn2tOver1t: w2?.samplesPerSec && w1?.samplesPerSec ? w2.samplesPerSec / w1.samplesPerSec : null,
      wasmnn1tOverPytorch1t: ratio(w1?.samplesPerSec, torch1?.samplesPerSec),
      wasmnn2tOverPytorch2t: ratio(w2?.samplesPerSec, torch2?.samplesPerSec),
    });
  }
  const failures = rows.filter((r) => r.error).map((r) => `- ${r.model} / ${r.impl} fails: ${r.error}`);
  const text = [table(['training', 'implementation', 'samples/s', 'steps', 'wasmnn 2t ÷ this'], body), ...(failures.length ? ['', ...failures] : [])].join('\n');
  return { text, ratios };
}

function inferenceTable(rows: InferenceRow[]): { text: string; ratios: Record<string, unknown>[] } {
  const ratios: Record<string, unknown>[] = [];
  const body: string[][] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const mine = rows.filter((r) => r.model === model);
    const w2 = mine.find((r) => r.impl === 'wasmnn wasm' && r.threads === 2) ?? mine.find((r) => r.impl === 'wasmnn wasm');
    const tf = mine.filter((r) => r.impl.startsWith('tfjs') && r.imagesPerSec !== null);
    const w1 = mine.find((r) => r.impl === 'wasmnn wasm' && r.threads === 1);
    const torch1 = mine.find((r) => r.impl === TORCH && r.threads === 1);
    const torch2 = mine.find((r) => r.impl === TORCH && r.threads === 2);
    const tfFastLatency = [...tf].sort((a, b) => a.latencyMs! - b.latencyMs!)[0];
    const tfFastBatch = [...tf].sort((a, b) => b.imagesPerSec! - a.imagesPerSec!)[0];
    for (const r of mine) {
      body.push([
        model,
        `${r.impl}${threadsLabel(r)}`,
        r.error ? `fails: ${r.error}` : `${fmt(r.latencyMs, 2)} (n=${r.latencyCalls})`,
        r.error ? '' : `${fmt(r.imagesPerSec)}${r.images < 10_000 ? ` (${r.images} imgs)` : ''}`,
        w2?.latencyMs && r.latencyMs ? `${fmt(r.latencyMs / w2.latencyMs)}x` : '—',
        w2?.imagesPerSec && r.imagesPerSec ? `${fmt(w2.imagesPerSec / r.imagesPerSec)}x` : '—',
      ]);
    }
    ratios.push({
      kind: 'inference',
      model,
      latencySpeedupWasmnn2tOverFastestTfjs: w2?.latencyMs && tfFastLatency?.latencyMs ? tfFastLatency.latencyMs / w2.latencyMs : null,
      fastestTfjsLatency: tfFastLatency?.impl ?? null,
      throughputWasmnn2tOverFastestTfjs: w2?.imagesPerSec && tfFastBatch?.imagesPerSec ? w2.imagesPerSec / tfFastBatch.imagesPerSec : null,
      fastestTfjsThroughput: tfFastBatch?.impl ?? null,
      latencyPytorch1tOverWasmnn1t: ratio(torch1?.latencyMs, w1?.latencyMs),
      latencyPytorch2tOverWasmnn2t: ratio(torch2?.latencyMs, w2?.latencyMs),
      throughputWasmnn1tOverPytorch1t: ratio(w1?.imagesPerSec, torch1?.imagesPerSec),
      throughputWasmnn2tOverPytorch2t: ratio(w2?.imagesPerSec, torch2?.imagesPerSec),
    });
  }
  const text = table(['inference', 'implementation', '1-image ms (median)', `images/s (batch ${options.predictBatch})`, 'latency: this ÷ wasmnn 2t', 'throughput: wasmnn 2t ÷ this'], body);
  return { text, ratios };
}

function ratioLines(ratios: Record<string, unknown>[]): string {
  return ratios
    .map((r) =>
      options.wasmnnOnly
        ? r['kind'] === 'training' ? `- training ${r['model']}: 2t/1t ${fmt(r['wasmnn2tOver1t'] as number | null)}x` : ''
        : r['kind'] === 'training'
        ? `- training ${r['model']}: wasmnn 2 threads = ${fmt(r['wasmnn2tOverFastestTfjs'] as number | null)}x the fastest TF.js (${r['fastestTfjs']}); ` +
          `1 thread ${fmt(r['wasmnn1tOverFastestTfjs'] as number | null)}x; 2t/1t ${fmt(r['wasmnn2tOver1t'] as number | null)}x; vs JS reference ${fmt(r['wasmnn2tOverJsReference'] as number | null)}x`
        : `- inference ${r['model']}: single-image latency of the fastest TF.js (${r['fastestTfjsLatency']}) ÷ wasmnn 2 threads = ` +
          `${fmt(r['latencySpeedupWasmnn2tOverFastestTfjs'] as number | null)}x; batch throughput of wasmnn 2 threads ÷ the fastest TF.js ` +
          `(${r['fastestTfjsThroughput']}) = ${fmt(r['throughputWasmnn2tOverFastestTfjs'] as number | null)}x (> 1: wasmnn is faster)`,
    )
    .concat(
      ratios
        .filter((r) => !options.wasmnnOnly && (r['wasmnn2tOverPytorch2t'] ?? r['throughputWasmnn2tOverPytorch2t']) != null)
        .map((r) =>
          r['kind'] === 'training'
            ? `- training ${r['model']} vs PyTorch at the same threads: wasmnn ÷ PyTorch = ${fmt(r['wasmnn1tOverPytorch1t'] as number | null)}x (1 thread), ${fmt(r['wasmnn2tOverPytorch2t'] as number | null)}x (2 threads)`
            : `- inference ${r['model']} vs PyTorch: single-image latency PyTorch ÷ wasmnn ${fmt(r['latencyPytorch1tOverWasmnn1t'] as number | null)}x (1 thread), ` +
              `${fmt(r['latencyPytorch2tOverWasmnn2t'] as number | null)}x (2); batch throughput wasmnn ÷ PyTorch ${fmt(r['throughputWasmnn1tOverPytorch1t'] as number | null)}x (1), ` +
              `${fmt(r['throughputWasmnn2tOverPytorch2t'] as number | null)}x (2) (> 1: wasmnn is faster)`,
        ),
    )
    .filter(Boolean)
    .join('\n');
}

const results: Record<string, unknown> = { options: { ...options, sections: [...sections] } };
results['machine'] = await machine();
const m = results['machine'] as Record<string, unknown>;
log(`# wasmnn vs PyTorch ${m['pytorch'] ?? '(not installed)'} and TF.js ${m['tfjs']} — ${m['cpu']}, ${m['cores']} cores, Node ${m['node']}, wasm '${m['wasmVariant']}', ${m['date']}`);
log(`load average at start: ${(m['loadAverageAtStart'] as number[]).join(' ')}${quick ? ' — QUICK run: short, noisy numbers' : ''}\n`);
await mnist();
const reports: string[] = [];
const notes: string[] = [
  'TF.js runs in Node without tfjs-node: backends cpu (plain JS) and wasm (XNNPACK, SIMD; single-threaded, since tfjs-backend-wasm disables threads under Node).',
  "TF.js wasm 4.22 has no Conv2DBackpropFilter kernel: training a CNN fails as shipped; the 'wasm + cpu Conv2DBackpropFilter' row borrows the CPU backend's kernel (see bench/tfjs-models.ts), which dominates its step time.",
  'Steps marked (cold) are a single first step (slow backends under --quick), warm-up included; ratios never use them (a run without --quick measures TF.js warm).',
  m['pytorch']
    ? `PyTorch ${m['pytorch']} on the CPU (oneDNN, channels_last), one process per thread count (OMP_WAIT_POLICY=PASSIVE unless set), same architectures, Adam learning rate, batch sizes and MNIST images; its turns alternate with wasmnn's in the same rounds (bench/torch/anchor.py, timed inside its process).`
    : TORCH_HINT,
];
results['notes'] = notes;

function save(): void {
  results['machine'] = { ...m, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) };
  writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
}

if (sections.has('gemm')) {
  log('## GEMM');
  const rows = await benchGemm({
    ...(quick ? { wasmBudgetMs: 300, jsBudgetMs: 1000 } : {}),
    log: (r) => log(`  gemm ${r.shape} ${r.impl} ${r.threads}t: ${r.gflops.toFixed(2)} GFLOP/s (${r.reps} reps)`),
  });
  results['gemm'] = rows;
  reports.push(`## GEMM (float32, C = A·B)\n\n${gemmTable(rows)}`);
  save();
}
if (sections.has('training')) {
  log('## Training');
  const rows = await benchTraining(options, log);
  const { text, ratios } = trainingTable(rows);
  results['training'] = rows;
  results['trainingRatios'] = ratios;
  reports.push(`## Training throughput (samples/s, after warm-up; Adam 1e-3)\n\n${text}\n\n${ratioLines(ratios)}`);
  save();
}
if (sections.has('inference')) {
  log('## Inference');
  const rows = await benchInference(options, log);
  const { text, ratios } = inferenceTable(rows);
  results['inference'] = rows;
  results['inferenceRatios'] = ratios;
  reports.push(`## Inference (fresh weights; single image = median of predict calls; batch = 10k test images or the time cap)\n\n${text}\n\n${ratioLines(ratios)}`);
  save();
}
if (sections.has('tta')) {
  log('## Time to accuracy');
  const runs: TimeToAccuracy[] = [];
  for (const arch of ttaArchitectures) {
    const r = await benchTimeToAccuracy(arch, options.threads, 1, log);
    runs.push(r);
    reports.push(
      `## Time to accuracy (${r.architecture} recipe, seed ${r.seed}, batch ${r.batchSize}, wasmnn wasm ${r.threads} thread(s), evaluation excluded)\n\n` +
        table(['target', 'training seconds', 'epochs'], r.targets.map((t) => [`≥ ${+(t.target * 100).toFixed(1)}% test accuracy`, fmt(t.seconds), fmt(t.epochs)])) +
        `\n\nfinal test accuracy ${(r.finalAccuracy * 100).toFixed(2)}% after ${fmt(r.totalTrainSeconds)} s of training`,
    );
  }
  results['timeToAccuracy'] = runs;
  save();
}
if (sections.has('load')) {
  log('## Load');
  const duration = Number(args['load-duration'] ?? (quick ? 5 : 60));
  const rows: LoadRow[] = await benchLoad({ duration, log });
  results['load'] = rows;
  reports.push(`## HTTP load (POST /api/predict, ${duration} s per run)\n\n${formatLoadTable(rows)}`);
  save();
}
save();
log(`\n${reports.join('\n\n')}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\nload average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}; results written to ${args.out}`);
// Worker threads of disposed backends are gone; TF.js keeps nothing alive, but exit explicitly anyway.
process.exit(0);
